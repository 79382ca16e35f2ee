#!/usr/bin/env bash
# ElasticSearchOutput against curl on the same bulk server, in the same run:
#   1. RunnelBench --es-bulk: COUNT Docker-log-shaped messages (built before timing) through
#      ESJsonEncoder (index per app and day, deterministic ids, create) → ElasticSearchOutput
#      → bulk_server.py, timed until every message is confirmed (after an untimed run during
#      which the server records the bodies).
#   2. curl posting exactly those recorded bodies to the same server, as many in parallel as
#      the output may have in flight.
#   3. The encoder alone (RunnelBench es.json_encoder) against Python's json/orjson building the
#      same two lines (peers/elasticsearch_peer.py).
# Prints documents/s of each, the ratio (target ≥ 0.9) and the encoder's MiB/s. On a shared
# machine the ratio moves with the load: RUNS=N repeats steps 1–2 (timed Runnel, then curl) N times
# and prints every pair's ratio and their median.
#   Benchmarks/elasticsearch/run.sh [COUNT]    (default 200,000; IN_FLIGHT=4, RUNS=1)
set -euo pipefail
count=${1:-${ES_DOCS:-200000}}
in_flight=${IN_FLIGHT:-4}
runs=${RUNS:-1}
bench_dir="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d /tmp/runnel-es-bench.XXXXXX)
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$bench_dir" && swift build -c release --product RunnelBench >&2)
bench="$bench_dir/.build/release/RunnelBench"

python3 "$bench_dir/elasticsearch/bulk_server.py" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$work/port")"
mkdir -p "$work/bodies"

# 1. Runnel once untimed while the server records the bodies it sends (writing them to disk costs
#    the server time that curl's run would not pay), then timed with recording off, so both timed
#    runs meet the same server doing the same work.
curl -s -X POST "$url/_test/record?dir=$work/bodies" >/dev/null
"$bench" --es-bulk "$url" "$count" "$in_flight" >/dev/null
curl -s -X POST "$url/_test/record?dir=" >/dev/null
separator=""
for body in "$work"/bodies/*.ndjson; do
    printf '%surl = "%s/_bulk"\nheader = "Content-Type: application/x-ndjson"\ndata-binary = "@%s"\noutput = "/dev/null"\n' "$separator" "$url" "$body"
    separator=$'next\n'
done > "$work/curl.conf"
bytes=$(cat "$work"/bodies/*.ndjson | wc -c)
count_items() { curl -s "$url/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

for run in $(seq "$runs"); do
    curl -s -X POST "$url/_test/reset" >/dev/null
    "$bench" --es-bulk "$url" "$count" "$in_flight" | tee -a "$work/results.jsonl"
    runnel_items=$(count_items)

    # 2. curl replaying the identical bodies
    curl -s -X POST "$url/_test/reset" >/dev/null
    start=$(date +%s.%N)
    curl -s --parallel --parallel-max "$in_flight" -K "$work/curl.conf" 2>/dev/null
    end=$(date +%s.%N)
    python3 - "$(count_items)" "$start" "$end" "$bytes" "$runnel_items" <<'PY' | tee -a "$work/results.jsonl"
import json, sys
items, start, end, size, runnel_items = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
wall = end - start
print(json.dumps({"name": "curl.es_bulk_replay", "docs": items, "wall_s": round(wall, 3), "docs_per_s": int(items / wall),
                  "mib_per_s": round(size / wall / 1048576, 1), "body_mib": round(size / 1048576, 1), "runnel_items_received": runnel_items}))
PY
done

# 3. the encoder alone, and its peer
"$bench" es.json_encoder | tee -a "$work/results.jsonl"
python3 "$bench_dir/peers/elasticsearch_peer.py" | tee -a "$work/results.jsonl"

python3 - "$work/results.jsonl" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
ours = [r for r in rows if r["name"] == "runnel.es_bulk"]
theirs = [r for r in rows if r["name"] == "curl.es_bulk_replay"]
ratios = []
for mine, curl in zip(ours, theirs):
    mib = curl["mib_per_s"] * mine["docs_per_s"] / max(curl["docs_per_s"], 1)
    ratios.append(mine["docs_per_s"] / curl["docs_per_s"])
    print(f"ESJsonEncoder → ElasticSearchOutput → bulk server: {mine['docs_per_s']:,} docs/s ({mib:.1f} MiB/s of bulk body, "
          f"{mine['cpu_s']} CPU s, {mine['requests']} requests); curl posting the same bodies: {curl['docs_per_s']:,} docs/s "
          f"({curl['mib_per_s']} MiB/s); ratio {ratios[-1]:.2f} (target ≥ 0.9)")
if len(ratios) > 1:
    print(f"median ratio of {len(ratios)} runs: {statistics.median(ratios):.2f} (load average {sys.argv[2]})")
enc = [r for r in rows if r["name"] == "es.json_encoder_dockerlog"]
for r in enc:
    print(f"encoder {r.get('impl', 'runnel')}: {r.get('ops_per_sec', 0):,} docs/s, {r.get('mib_per_sec', '?')} MiB/s")
PY
