#!/usr/bin/env bash
# Steady-state cost of the Docker inputs on a host with many quiet containers:
#   1. DockerLogInput following COUNT containers that print one line a second, through the API
#      and from their json-file logs
#   2. DockerStatsInput sampling them every 10 s, from the API and from cgroupfs
# For each: the agent's CPU % of one core and RSS, and dockerd's CPU %, over SECONDS seconds
# after a warm-up.
#   Benchmarks/docker/idle.sh [COUNT] [SECONDS]     (defaults 100, 60; RUNNEL=path to use another build)
set -euo pipefail
count=${1:-100}
seconds=${2:-60}
source "$(dirname "$0")/private-dockerd.sh"
agent_pid=
on_exit() { if [[ -n $agent_pid ]]; then kill "$agent_pid" 2>/dev/null || true; fi; }
rss_of() { awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$1/status"; }

echo "starting $count containers…" >&2
for i in $(seq 1 "$count"); do
    docker run -d --network none -e MARATHON_APP_ID=/idle/app$((i % 10)) runnel-test/busybox \
        sh -c 'i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 1; done' >/dev/null
done

measure() {  # $1: name, $2: input section
    cat > "$work/agent.toml" <<CONF
[runnel]
base_dir = "$work/state-$1"
admin_address = "127.0.0.1:0"
$2
[out]
type = "FileOutput"
message_matcher = "TRUE"
path = "/dev/null"
CONF
    "$runnel" agent -c "$work/agent.toml" >/dev/null 2>"$work/agent-$1.log" &
    agent_pid=$!
    sleep 15   # warm-up: catch up with the backlog, first samples
    local a0 d0 a1 d1
    a0=$(cpu_of "$agent_pid"); d0=$(cpu_of "$dockerd_pid")
    sleep "$seconds"
    a1=$(cpu_of "$agent_pid"); d1=$(cpu_of "$dockerd_pid")
    python3 -c "import json; print(json.dumps({'name': '$1', 'containers': $count, 'seconds': $seconds,
        'agent_cpu_percent': round(($a1 - $a0) / $ticks / $seconds * 100, 2), 'agent_rss_mib': $(rss_of "$agent_pid"),
        'dockerd_cpu_percent': round(($d1 - $d0) / $ticks / $seconds * 100, 2)}))"
    kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true; agent_pid=
}

for source in api json-file; do
    measure "logs-$source" "[DockerLogInput]
endpoint = \"unix://$sock\"
fields_from_env = [\"MARATHON_APP_ID\"]
log_source = \"$source\""
done
for source in api cgroupfs; do
    measure "stats-$source" "[DockerStatsInput]
endpoint = \"unix://$sock\"
fields_from_env = [\"MARATHON_APP_ID\"]
source = \"$source\""
done
