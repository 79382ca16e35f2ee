#!/usr/bin/env bash
# Appends realistic nginx access-log lines to a file, a few per second, until killed: the input of
# the default plugins.toml for `make run`.
#   deploy/local/demo-logs.sh FILE [lines-per-second]
set -euo pipefail
file=${1:?usage: demo-logs.sh FILE [lines-per-second]}
rate=${2:-5}
mkdir -p "$(dirname "$file")"
paths=(/ /index.html /api/v1/users /api/v1/orders /static/app.js /healthz /login)
statuses=(200 200 200 200 201 204 301 404 500 502)
agents=("curl/7.88.1" "Mozilla/5.0 (X11; Linux x86_64)" "kube-probe/1.27" "python-requests/2.31")
n=0
while :; do
    for ((i = 0; i < rate; i++)); do
        n=$((n + 1))
        ip="10.0.$((RANDOM % 4)).$((RANDOM % 250 + 2))"
        path=${paths[RANDOM % ${#paths[@]}]}
        status=${statuses[RANDOM % ${#statuses[@]}]}
        agent=${agents[RANDOM % ${#agents[@]}]}
        printf '%s - - [%s] "GET %s HTTP/1.1" %s %d "-" "%s"\n' \
            "$ip" "$(date -u '+%d/%b/%Y:%H:%M:%S +0000')" "$path" "$status" $((RANDOM % 5000 + 100)) "$agent" >>"$file"
    done
    sleep 1
done
