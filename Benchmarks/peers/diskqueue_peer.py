"""Peer for DiskQueueBenchmarks.swift: the same disk queue work in Python. Messages are the same
~200-byte nginx-access message, encoded with the PyPI `protobuf` package (pip install protobuf);
records use Runnel's 16-byte header, but with zlib's CRC-32 (CRC-32C is not in the standard
library), so the checksum work is comparable but not identical. Files go to RUNNEL_BENCH_DIR or the
temporary folder. One operation is one message."""
import os
import shutil
import struct
import sys
import tempfile
import uuid
import zlib

import peer_harness
from codec_peer import heka_message_class

MAGIC = b"RNQ1"
BATCH = 1000
HEADER = struct.Struct("<4sII")
CHECK = struct.Struct("<I")


def access_log_message(cls):
    m = cls()
    m.uuid = uuid.UUID("6f1c3a52-8e0b-4d7a-9c21-5b3e7f0a1d44").bytes
    m.timestamp = 1714564800123456789
    m.type = "nginx.access"
    m.logger = "web"
    m.severity = 6
    m.payload = ('203.0.113.42 - - [01/May/2024:12:00:00 +0000] "GET /api/orders/12345 HTTP/1.1" 200 1843 '
                 '"-" "Mozilla/5.0 (X11; Linux x86_64)" 0.014')
    m.pid = 4711
    m.hostname = "mesos-agent-17"
    return m


def frame(payload):
    header = HEADER.pack(MAGIC, len(payload), zlib.crc32(payload))
    return header + CHECK.pack(zlib.crc32(header)) + payload


def scratch_folder():
    return tempfile.mkdtemp(prefix="runnel-dq-peer-", dir=os.environ.get("RUNNEL_BENCH_DIR"))


def append(message, count, batches_per_sync):
    folder = scratch_folder()
    fd = os.open(os.path.join(folder, "0000000001.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        appended = 0
        while appended < count:
            for _ in range(batches_per_sync):
                if appended >= count:
                    break
                take = min(BATCH, count - appended)
                buffer = bytearray()
                for _ in range(take):
                    buffer += frame(message.SerializeToString())
                os.write(fd, buffer)
                appended += take
            os.fdatasync(fd)
        return appended
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def read_back(path, cls, count, chunk=256 * 1024):
    """Reads records from the start of `path` (again from the start at its end) until `count`
    messages were checked and decoded, through a window of `chunk` bytes."""
    from_string = cls.FromString
    total = 0
    fd = os.open(path, os.O_RDONLY)
    try:
        while total < count:
            file_offset, window, at = 0, b"", 0
            while total < count:
                if len(window) - at < 16 or len(window) - at < 16 + HEADER.unpack_from(window, at)[1]:
                    more = os.pread(fd, chunk, file_offset + len(window))
                    if not more:
                        break
                    file_offset += at
                    window, at = window[at:] + more, 0
                    continue
                magic, length, crc = HEADER.unpack_from(window, at)
                if magic != MAGIC or CHECK.unpack_from(window, at + 12)[0] != zlib.crc32(window[at:at + 12]):
                    raise ValueError("damaged header")
                payload = window[at + 16:at + 16 + length]
                if zlib.crc32(payload) != crc:
                    raise ValueError("damaged payload")
                from_string(payload)
                total += 1
                at += 16 + length
        return total
    finally:
        os.close(fd)


def main():
    cls = heka_message_class()
    message = access_log_message(cls)
    record = len(frame(message.SerializeToString()))
    print(f"diskqueue_peer: record {record} bytes", file=sys.stderr)
    def frame_only(n):
        total = 0
        for _ in range(n):
            total += len(frame(message.SerializeToString()))
        return total

    peer_harness.run("python", "diskqueue.frame_only", frame_only, record)
    peer_harness.run("python", "diskqueue.append_fsync_per_1000", lambda n: append(message, n, 1), record)
    peer_harness.run("python", "diskqueue.append_fsync_per_8x1000", lambda n: append(message, n, 8), record)

    folder = scratch_folder()
    try:
        path = os.path.join(folder, "0000000001.log")
        with open(path, "wb") as f:
            one = frame(message.SerializeToString())
            for _ in range(200):
                f.write(one * BATCH)
        peer_harness.run("python", "diskqueue.read_back", lambda n: read_back(path, cls, n), record)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
