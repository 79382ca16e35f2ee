#!/usr/bin/env bash
# ElasticSearchOutput against curl on the same bulk server, in the same run (issue 6):
#   1. RunnelBench --es-bulk: COUNT Docker-log-shaped messages (built before timing) through
#      ESJsonEncoder (index per app and day, deterministic ids, create) → ElasticSearchOutput
#      → a bulk server, timed until every message is confirmed. An untimed first run records the
#      bodies Runnel sends.
#   2. curl posting exactly those recorded bodies to the same server, as many in parallel as
#      the output may have in flight.
#   Steps 1–2 run against two servers:
#      - the test server (RunnelBench --es-test-server: BulkTestServer, the `_bulk` stand-in of the
#        tests, which parses and validates every document, applies its mapping rule and stores it,
#        as the issue's benchmark asks): the target (≥ 0.9) is checked here;
#      - bulk_server.py, which answers every item 201 without reading the documents, so that
#        the client alone is measured: Runnel's encoding is all the difference there.
#   3. The encoder alone (RunnelBench es.json_encoder) against Python's json/orjson building the
#      same two lines (peers/elasticsearch_peer.py).
# Prints documents/s of each, the ratios and the encoder's MiB/s. On a shared machine the ratio
# moves with the load: RUNS=N repeats steps 1–2 (timed Runnel, then curl) N times per server and
# prints every pair's ratio and their median.
#   Benchmarks/elasticsearch/run.sh [COUNT]    (default 200,000; IN_FLIGHT=4, RUNS=1)
set -euo pipefail
count=${1:-${ES_DOCS:-200000}}
in_flight=${IN_FLIGHT:-4}
runs=${RUNS:-1}
bench_dir="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d /tmp/runnel-es-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$bench_dir" && swift build -c release --product RunnelBench >&2)
bench="$bench_dir/.build/release/RunnelBench"

# The servers run on the first core and the clients (Runnel, curl) on the second, as they would on
# two machines: a client's CPU then never slows the server down, and what is compared is how fast
# each client feeds the same server. (On one core, both share it.)
if (( $(nproc) >= 2 )); then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); else server_cpu=(); client_cpu=(); fi
wait_for_port() { for _ in $(seq 200); do [[ -s $1 ]] && return; sleep 0.05; done; echo "no port in $1" >&2; exit 1; }
"${server_cpu[@]}" python3 "$bench_dir/elasticsearch/bulk_server.py" "$work/minimal.port" &
pids+=($!)
"${server_cpu[@]}" "$bench" --es-test-server "$work/test-server.port" &
pids+=($!)
wait_for_port "$work/minimal.port"
wait_for_port "$work/test-server.port"
minimal_url="http://127.0.0.1:$(cat "$work/minimal.port")"
test_server_url="http://127.0.0.1:$(cat "$work/test-server.port")"
mkdir -p "$work/bodies"

# Runnel once untimed while the minimal server records the bodies it sends (writing them to disk
# costs the server time that curl's run would not pay); the timed runs meet servers that record
# nothing. The bodies do not depend on the server: the same messages, ids and batches.
curl -s -X POST "$minimal_url/_test/record?dir=$work/bodies" >/dev/null
"$bench" --es-bulk "$minimal_url" "$count" "$in_flight" >/dev/null
curl -s -X POST "$minimal_url/_test/record?dir=" >/dev/null
separator=""
for body in "$work"/bodies/*.ndjson; do
    printf '%surl = "%s/_bulk"\nheader = "Content-Type: application/x-ndjson"\nheader = "Expect:"\ndata-binary = "@%s"\noutput = "/dev/null"\n' "$separator" "URL" "$body"
    separator=$'next\n'
done > "$work/curl.conf.template"
# `Expect:` stops curl from asking for 100-continue before each large body (Runnel's libcurl
# requests do not ask either); a server that does not answer it would make curl wait a second.
bytes=$(cat "$work"/bodies/*.ndjson | wc -c)

count_items() { curl -s "$1/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

# compare LABEL URL: RUNS pairs of (timed Runnel, curl replay) against one server, each from an
# empty server; every document must be stored by both.
compare() {
    local label=$1 url=$2
    sed "s|URL|$url|" "$work/curl.conf.template" > "$work/curl.conf"
    for _ in $(seq "$runs"); do
        curl -s -X POST "$url/_test/reset" >/dev/null
        "${client_cpu[@]}" "$bench" --es-bulk "$url" "$count" "$in_flight" \
            | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); r["server"]=sys.argv[1]; print(json.dumps(r))' "$label" \
            | tee -a "$work/results.jsonl"
        local runnel_items
        runnel_items=$(count_items "$url")

        curl -s -X POST "$url/_test/reset" >/dev/null
        local start end
        start=$(date +%s.%N)
        "${client_cpu[@]}" curl -s --parallel --parallel-max "$in_flight" -K "$work/curl.conf" 2>/dev/null
        end=$(date +%s.%N)
        python3 - "$(count_items "$url")" \
            "$start" "$end" "$bytes" "$runnel_items" "$label" <<'PY' | tee -a "$work/results.jsonl"
import json, sys
items, start, end, size, runnel_items, server = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
wall = end - start
print(json.dumps({"name": "curl.es_bulk_replay", "server": server, "docs": items, "wall_s": round(wall, 3),
                  "docs_per_s": int(items / wall), "mib_per_s": round(size / wall / 1048576, 1),
                  "body_mib": round(size / 1048576, 1), "runnel_items_received": runnel_items}))
PY
    done
}
compare test-server "$test_server_url"
compare minimal "$minimal_url"

# 3. the encoder alone, and its peer
"$bench" es.json_encoder | tee -a "$work/results.jsonl"
python3 "$bench_dir/peers/elasticsearch_peer.py" | tee -a "$work/results.jsonl"

python3 - "$work/results.jsonl" "$(cut -d' ' -f1-3 /proc/loadavg)" "$count" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
count = int(sys.argv[3])
titles = {"test-server": "the test server (parses, validates and stores every document; the target)",
          "minimal": "bulk_server.py (answers without reading the documents: the client alone)"}
for server, title in titles.items():
    ours = [r for r in rows if r["name"] == "runnel.es_bulk" and r.get("server") == server]
    theirs = [r for r in rows if r["name"] == "curl.es_bulk_replay" and r.get("server") == server]
    print(f"ESJsonEncoder → ElasticSearchOutput → {title}:")
    ratios = []
    for mine, curl in zip(ours, theirs):
        stored = f"stored {curl['runnel_items_received']:,} and {curl['docs']:,} of {count:,}"
        mib = curl["mib_per_s"] * mine["docs_per_s"] / max(curl["docs_per_s"], 1)
        ratios.append(mine["docs_per_s"] / curl["docs_per_s"])
        print(f"  Runnel {mine['docs_per_s']:,} docs/s ({mib:.1f} MiB/s of bulk body, {mine['cpu_s']} CPU s, "
              f"{mine['requests']} requests); curl posting the same bodies {curl['docs_per_s']:,} docs/s "
              f"({curl['mib_per_s']} MiB/s); ratio {ratios[-1]:.2f}; {stored}")
    if len(ratios) > 1:
        print(f"  median ratio of {len(ratios)} runs: {statistics.median(ratios):.2f}")
print(f"(target ≥ 0.9 against the test server; load average {sys.argv[2]})")
enc = [r for r in rows if r["name"] == "es.json_encoder_dockerlog"]
for r in enc:
    print(f"encoder {r.get('impl', 'runnel')}: {r.get('ops_per_sec', 0):,} docs/s, {r.get('mib_per_sec', '?')} MiB/s")
PY
