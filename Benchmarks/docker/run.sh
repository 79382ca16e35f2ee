#!/usr/bin/env bash
# DockerLogInput throughput against the raw API, in the same run on the same container:
#   1. `curl --unix-socket` reading the container's /logs stream (timestamps, both streams) to /dev/null
#   2. `runnel agent` with DockerLogInput → JsonEncoder → FileOutput until every line is written
#   3. the same with `log_source = "json-file"`: the container's log file read directly
# A private dockerd (deploy/local/dockerd.sh) runs one container that prints LINES lines of about
# 100 bytes and then stays up. Prints lines/s, dockerd's CPU seconds for each read, Runnel's CPU
# seconds and peak RSS, and the ratio to the raw API rate.
#   Benchmarks/docker/run.sh [LINES]     (default 1,000,000; RUNNEL=path to use another build)
set -euo pipefail
lines=${1:-${LINES_TOTAL:-1000000}}
source "$(dirname "$0")/private-dockerd.sh"

line='GET /api/v1/items?id=42 HTTP/1.1 200 1534 0.003 "Mozilla/5.0 (X11; Linux x86_64)" upstream=10.0.0.7:8080'
id=$(docker run -d --network none -e MARATHON_APP_ID=/bench/app runnel-test/busybox \
    sh -c "yes '$line' | head -n $lines; sleep 3600")
log_file=$(docker inspect -f '{{.LogPath}}' "$id")
echo "waiting for the container to print $lines lines…" >&2
until [[ -f $log_file ]] && (( $(wc -l < "$log_file") >= lines )); do sleep 0.5; done

# 1. the raw API
before=$(cpu_of "$dockerd_pid")
start=$(date +%s.%N)
curl -s --unix-socket "$sock" "http://localhost/v1.41/containers/$id/logs?stdout=1&stderr=1&timestamps=1" -o /dev/null
end=$(date +%s.%N)
after=$(cpu_of "$dockerd_pid")
python3 - "$lines" "$start" "$end" "$before" "$after" "$ticks" <<'PY' | tee "$work/results.jsonl"
import json, sys
lines, start, end, before, after, ticks = sys.argv[1:]
wall = float(end) - float(start)
print(json.dumps({"name": "curl.docker_logs_raw", "lines": int(lines), "wall_s": round(wall, 3),
                  "lines_per_s": round(int(lines) / wall), "dockerd_cpu_s": round((int(after) - int(before)) / int(ticks), 2)}))
PY

# 2. Runnel through DockerLogInput → JSON → file (and → payload only → file, to tell the input's
#    cost from the JSON encoder's)
runnel_run() {  # $1: name, $2: encoder section name, $3: log_source
    local source=${3:-api}
    rm -rf "$work/state"
    cat > "$work/runnel.toml" <<CONF
[runnel]
base_dir = "$work/state"
admin_address = "127.0.0.1:0"
[DockerLogInput]
endpoint = "unix://$sock"
fields_from_env = ["MARATHON_APP_ID"]
log_source = "$source"
[$2]
[out]
type = "FileOutput"
message_matcher = "TRUE"
path = "$work/runnel.out"
encoder = "$2"
flush_count = 10000
flush_operator = "OR"
flush_interval = 100
CONF
    local before after
    before=$(cpu_of "$dockerd_pid")
    python3 "$repo/Benchmarks/pipeline/measure.py" "$1" "$lines" "$work/runnel.out" -- \
        "$runnel" agent -c "$work/runnel.toml" > "$work/runnel.jsonl"
    after=$(cpu_of "$dockerd_pid")
    python3 - "$work/runnel.jsonl" "$before" "$after" "$ticks" <<'PY' | tee -a "$work/results.jsonl"
import json, sys
path, before, after, ticks = sys.argv[1:]
result = json.loads(open(path).read().strip().splitlines()[-1])
result["dockerd_cpu_s"] = round((int(after) - int(before)) / int(ticks), 2)
print(json.dumps(result))
PY
}
runnel_run runnel.docker_logs_to_json JsonEncoder
runnel_run runnel.docker_logs_to_payload PayloadEncoder
# 3. the json-file fast path: the same lines read from the container's log file, dockerd idle
runnel_run runnel.docker_jsonfile_to_json JsonEncoder json-file
python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = {r["name"]: r for r in map(json.loads, open(sys.argv[1]))}
raw = rows.get("curl.docker_logs_raw")
for name, what in [("runnel.docker_logs_to_json", "JSON"), ("runnel.docker_logs_to_payload", "payload"),
                   ("runnel.docker_jsonfile_to_json", "JSON, json-file path")]:
    ours = rows.get(name)
    if raw and ours:
        print(f"DockerLogInput → {what} → file: {ours['lines_per_s']:,} lines/s, {ours['cpu_s']} CPU s; raw /logs with curl: "
              f"{raw['lines_per_s']:,} lines/s; ratio {ours['lines_per_s'] / raw['lines_per_s']:.2f} (target ≥ 0.8). "
              f"dockerd CPU: {ours['dockerd_cpu_s']} s vs {raw['dockerd_cpu_s']} s")
PY
