#!/usr/bin/env bash
# Side-by-side Kafka benchmark (issue 5), same Tansu broker, same run:
#   produce MESSAGES (default 1,000,000) ~200-byte lines: runnel agent (file -> KafkaOutput, JSON)
#     vs `kcat -P` from the same file, and vs `kcat -P` of the agent's JSON values (same bytes), each
#     with KafkaOutput's guarantees (acks=all, idempotent) and at kcat's own defaults;
#     the same pair with both compressing (LZ4); 1,000-line runs for each side's start-up cost;
#   consume them: runnel agent (KafkaInput -> file) vs `kcat -C`, and vs `kcat -G` (in a consumer
#     group, as KafkaInput is, so both pay the group join);
#   end-to-end latency p50/p99 at 10,000 messages/s through the agent.
# Prints messages/s, MiB/s, CPU seconds (agent or kcat, and the broker's) and Runnel's ratios, round
# by round (ROUNDS, default 3) and their median. Needs deploy/local/setup.sh --bench.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
messages=${MESSAGES:-1000000}
export LD_LIBRARY_PATH="$repo/.build/kafka/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
work=$(mktemp -d /tmp/runnel-kafka-bench.XXXXXX)
tansu_pid=
cleanup() { [[ -n $tansu_pid ]] && kill "$tansu_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

(cd "$repo" && swift build -c release --product runnel >&2)
export RUNNEL="$repo/.build/release/runnel"
mkdir -p "$work/logs" "$work/start"
python3 - "$messages" "$work/logs/bench.log" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
pad = "a" * 150
with open(path, "w") as f:
    for i in range(n):
        f.write(f'10.0.{i % 256}.{i % 7} - - [25/Nov/2026:23:59:59 +0000] "GET /api/{i:08d}" 200 {pad}\n')
PY
# 1,000 lines, for each side's fixed start-up cost (the summary subtracts it for steady rates).
head -n 1000 "$work/logs/bench.log" > "$work/start/start.log"
head -n 50000 "$work/logs/bench.log" > "$work/warmup.log"

# A fresh broker for every round: Tansu keeps every record in memory, and a broker holding the
# gigabytes of earlier rounds is slower, which would fall on whoever runs later.
start_broker() {
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    brokers="127.0.0.1:$port"
    "$repo/.build/kafka/bin/tansu" broker --listener-url "tcp://$brokers" --advertised-listener-url "tcp://$brokers" > "$work/tansu.log" 2>&1 &
    tansu_pid=$!
    export TANSU_PID=$tansu_pid
    for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.1; done
    # Warm the broker up (its first topic and first megabytes are slower), so that the first
    # measurement is not the one that pays for it.
    kcat -P -b "$brokers" -t bench.warmup -X acks=all -l "$work/warmup.log"
}
stop_broker() { kill "$tansu_pid" 2>/dev/null || true; wait "$tansu_pid" 2>/dev/null || true; tansu_pid=; }

# The agents' state folders (kafka_bench.py makes them with mkdtemp) go inside $work, so that the
# cleanup removes them too.
export TMPDIR="$work"
results="$work/results.jsonl"
bench() { python3 "$here/kafka_bench.py" --brokers "$brokers" "$@" | tee -a "$results"; }
# ROUNDS rounds (default 3), each measuring the agent and its peers back to back on a fresh broker,
# every other round with the agent first; the summary pairs them round by round and prints every
# round's ratio and the median.
rounds=${ROUNDS:-3}
# The agent's JSON values, for kcat to send the same bytes: one unmeasured agent run, read back.
start_broker
python3 "$here/kafka_bench.py" --brokers "$brokers" produce-runnel "$work/logs/bench.log" bench.values "$messages" > /dev/null
python3 "$here/kafka_bench.py" --brokers "$brokers" values bench.values "$messages" "$work/values.json"
stop_broker
for round in $(seq "$rounds"); do
    start_broker
    bench produce-kcat "$work/start/start.log" bench.kcat-start 1000 kcat.produce_start
    bench produce-runnel "$work/start/start.log" bench.runnel-start 1000 runnel.produce_start
    # Every other round the agent goes first: the broker slows as it fills, so the order must not
    # favour one side.
    if (( round % 2 == 1 )); then
        bench produce-kcat "$work/logs/bench.log" bench.kcat "$messages"
        bench produce-kcat "$work/logs/bench.log" bench.kcat-defaults "$messages" kcat.produce_defaults none defaults
        bench produce-kcat "$work/values.json" bench.kcat-values-defaults "$messages" kcat.produce_agent_values_defaults none defaults
        bench produce-runnel "$work/logs/bench.log" bench.runnel "$messages"
    else
        bench produce-runnel "$work/logs/bench.log" bench.runnel "$messages"
        bench produce-kcat "$work/values.json" bench.kcat-values-defaults "$messages" kcat.produce_agent_values_defaults none defaults
        bench produce-kcat "$work/logs/bench.log" bench.kcat-defaults "$messages" kcat.produce_defaults none defaults
        bench produce-kcat "$work/logs/bench.log" bench.kcat "$messages"
    fi
    # The same bytes on the wire as the agent, with the agent's guarantees.
    bench produce-kcat "$work/values.json" bench.kcat-values "$messages" kcat.produce_agent_values
    # Both compressing (LZ4): the same pair with the broker's intake of bytes cut for either side.
    if (( round % 2 == 1 )); then
        bench produce-kcat "$work/logs/bench.log" bench.kcat-lz4 "$messages" kcat.produce_lz4 lz4
        bench produce-runnel "$work/logs/bench.log" bench.runnel-lz4 "$messages" runnel.produce_lz4 lz4
    else
        bench produce-runnel "$work/logs/bench.log" bench.runnel-lz4 "$messages" runnel.produce_lz4 lz4
        bench produce-kcat "$work/logs/bench.log" bench.kcat-lz4 "$messages" kcat.produce_lz4 lz4
    fi
    if (( round % 2 == 1 )); then
        bench consume-kcat bench.kcat "$messages" "$work/kcat.out"
        bench consume-runnel bench.kcat "$messages" "$work/runnel.out"
    else
        bench consume-runnel bench.kcat "$messages" "$work/runnel.out"
        bench consume-kcat bench.kcat "$messages" "$work/kcat.out"
    fi
    bench consume-kcat-group bench.kcat "$messages" "$work/kcat-group.out"
    rm -f "$work/kcat.out" "$work/runnel.out" "$work/kcat-group.out"
    stop_broker
done
rm -f "$work/values.json"
if [[ ${SKIP_LATENCY:-0} != 1 ]]; then
    start_broker
    bench latency bench.latency 10000 10
    stop_broker
fi
python3 "$here/kafka_bench.py" summary "$results"
