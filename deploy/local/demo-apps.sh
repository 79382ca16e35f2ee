#!/usr/bin/env bash
# The demo cluster of `make run`: a private dockerd (deploy/local/dockerd.sh) under DIR and three
# "Marathon" containers printing realistic logs: /demo/web ×2 (nginx-style access lines, errors on
# stderr) and /demo/worker ×1 (job lines). Idempotent: what already runs is kept.
#   deploy/local/demo-apps.sh start DIR   prints the DOCKER_HOST to use
#   deploy/local/demo-apps.sh stop DIR    stops the daemon (containers included)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
action=${1:?usage: demo-apps.sh start|stop DIR}
dir=${2:?usage: demo-apps.sh start|stop DIR}
if [[ $action == stop ]]; then exec "$here/dockerd.sh" stop "$dir"; fi
"$here/dockerd.sh" start "$dir" >&2
"$here/dockerd.sh" image "$dir" >&2
dir=$(cd "$dir" && pwd)
docker_cli() { docker -H "unix://$dir/docker.sock" "$@"; }

# Each app is a busybox shell loop; Marathon sets MARATHON_APP_ID and MESOS_TASK_ID the same way.
web_script='i=0
while :; do
  i=$((i + 1)); r=$(( (i * 7919 + $$) % 100 )); status=200; size=$((512 + r * 37))
  if [ $r -lt 4 ]; then status=502; elif [ $r -lt 9 ]; then status=404; elif [ $r -lt 20 ]; then status=304; fi
  echo "10.0.$((r % 4)).$((r + 2)) - - [$(date -u +%d/%b/%Y:%H:%M:%S) +0000] \"GET /api/v1/items/$((i % 50)) HTTP/1.1\" $status $size \"-\" \"curl/8.5.0\""
  if [ $status = 502 ]; then echo "$(date -u +%Y/%m/%d\ %H:%M:%S) [error] upstream timed out while reading response header, request $i" >&2; fi
  sleep 0.$(( (r % 5) + 3 ))
done'
worker_script='n=0
while :; do
  n=$((n + 1)); ms=$(( (n * 131) % 900 + 40 ))
  echo "job=$n queue=emails status=done duration_ms=$ms"
  if [ $((n % 7)) = 0 ]; then echo "job=$n queue=emails status=retry error=\"smtp 421 try again later\"" >&2; fi
  sleep 1
done'

start_app() {
    local name=$1 app=$2 script=$3
    if [[ $(docker_cli inspect -f '{{.State.Running}}' "$name" 2>/dev/null || true) == true ]]; then return; fi
    docker_cli rm -f "$name" >/dev/null 2>&1 || true
    docker_cli run -d --network none --restart unless-stopped --name "$name" \
        -e "MARATHON_APP_ID=$app" -e "MESOS_TASK_ID=${app#/}.$(cat /proc/sys/kernel/random/uuid)" \
        -l "team=demo" runnel-test/busybox sh -c "$script" >/dev/null
}
start_app demo-web-1 /demo/web "$web_script"
start_app demo-web-2 /demo/web "$web_script"
start_app demo-worker-1 /demo/worker "$worker_script"
echo "unix://$dir/docker.sock"
