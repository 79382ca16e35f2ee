"""Runs one pipeline program until its output file holds N lines and reports what it took.

    measure.py NAME N OUTPUT_FILE -- COMMAND...            (the program reads its input itself)
    measure.py NAME N OUTPUT_FILE --feed-tcp PORT FILE -- COMMAND...   (lines are sent over TCP)

Prints one JSON line: lines/s, MiB/s of input, CPU seconds (user+system of the process and its
children as /proc reports them at the end), peak RSS (VmHWM), wall seconds."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

name, total, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rest = sys.argv[4:]
feed = None
if rest[0] == "--feed-tcp":
    feed = (int(rest[1]), rest[2])
    rest = rest[3:]
assert rest[0] == "--"
command = rest[1:]
input_bytes = None
clock_ticks = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clock_ticks


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def send_file(port, path):
    data = open(path, "rb").read()
    for _ in range(200):
        try:
            sock = socket.create_connection(("127.0.0.1", port))
            break
        except OSError:
            time.sleep(0.05)
    sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)
    sock.close()


if os.path.exists(output):
    os.remove(output)
start = time.monotonic()
process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if feed:
    input_bytes = os.path.getsize(feed[1])
    threading.Thread(target=send_file, args=feed, daemon=True).start()
lines = 0
offset = 0
deadline = start + 600
while lines < total and time.monotonic() < deadline and process.poll() is None:
    time.sleep(0.01)
    try:
        with open(output, "rb") as f:
            f.seek(offset)
            chunk = f.read()
    except FileNotFoundError:
        continue
    lines += chunk.count(b"\n")
    offset += len(chunk)
wall = time.monotonic() - start
cpu = cpu_seconds(process.pid)
rss = peak_rss_mib(process.pid)
process.send_signal(signal.SIGTERM)
try:
    process.wait(timeout=30)
except subprocess.TimeoutExpired:
    process.kill()
if input_bytes is None:
    input_bytes = int(os.environ.get("INPUT_BYTES", "0"))
print(json.dumps({"name": name, "lines": lines, "complete": lines >= total, "wall_s": round(wall, 3),
                  "lines_per_s": int(lines / wall), "mib_per_s": round(input_bytes / wall / 1048576, 1),
                  "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss, 1)}), flush=True)
