#!/usr/bin/env bash
# Side-by-side proxy benchmark (issue 7): wrk against runnel-router, against nginx and HAProxy
# configured as the same Host-routed reverse proxy with upstream keep-alive, and directly against
# the upstream (the ceiling), in one run, same upstream, same machine. Small (~100 B) and 64 KiB
# responses, 64 connections. Prints requests/s, p50/p99 latency, CPU per request (user + system)
# of each proxy, the ratios router/nginx and router/HAProxy, and the router's RSS.
# Also the proxies' context switches per 1,000 requests (voluntary = the process went to sleep).
#   DURATION=5s ROUNDS=3 CONNECTIONS=64 THREADS=2 ROUTER_EVENT_LOOPS=2 Benchmarks/router/run.sh
# ROUNDS: each round measures every target once, back to back (every other round in reverse
# order); the summary gives each round's router/nginx ratio, the median, and how many rounds hold.
# ROUTER_EVENT_LOOPS: the router's `event_loops` (unset: one per core, like nginx's 2 workers here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
duration=${DURATION:-5s}
rounds=${ROUNDS:-3}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
for tool in nginx haproxy wrk; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing; run deploy/local/setup.sh --bench" >&2; exit 1; }
done

work=$(mktemp -d /tmp/runnel-router-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for name in upstream proxy haproxy; do
        [[ -f "$work/$name.pid" ]] && kill "$(cat "$work/$name.pid")" 2>/dev/null || true
    done
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$repo" && swift build -c release --product runnel-router >&2)
router_bin="$repo/.build/release/runnel-router"

# Four distinct free ports: the sockets stay bound until all four are chosen (one at a time, the
# kernel may hand out a port just released, and two servers would then fight over it).
read -r upstream_port nginx_port haproxy_port router_port < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')

mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"   # nginx workers run as www-data when started by root
python3 -c "import sys; sys.stdout.write('x' * 99 + '\n')" > "$work/www/small"
head -c 65536 /dev/urandom > "$work/www/big"

# Two nginx instances, so the proxy's CPU can be measured apart from the upstream's: the upstream
# (static files) and the proxy in front of it, both with 2 workers (one per core).
nginx_conf() {  # $1 name, $2 server block
    cat <<CONF
worker_processes 2;
pid $work/$1.pid;
error_log $work/logs/$1-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    client_body_temp_path $work/logs;
    proxy_temp_path $work/logs;
    $2
}
CONF
}
nginx_conf upstream "server { listen 127.0.0.1:$upstream_port; root $work/www; default_type application/octet-stream; }" > "$work/upstream.conf"
nginx_conf proxy "upstream app_bench { server 127.0.0.1:$upstream_port; keepalive 64; }
    server {
        listen 127.0.0.1:$nginx_port;
        server_name app.bench;
        location / {
            proxy_pass http://app_bench;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }" > "$work/proxy.conf"
nginx -c "$work/upstream.conf" -p "$work" -g 'daemon on;'
nginx -c "$work/proxy.conf" -p "$work" -g 'daemon on;'

# HAProxy: two threads (one per core), keep-alive on both sides, idle server connections reused
# by any client connection (the closest to nginx's upstream keepalive pool).
cat > "$work/haproxy.cfg" <<CONF
global
    nbthread 2
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    http-reuse always
frontend proxy
    bind 127.0.0.1:$haproxy_port
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    use_backend app_bench if { hdr(host) -i app.bench }
backend app_bench
    server app1 127.0.0.1:$upstream_port
CONF
haproxy -D -f "$work/haproxy.cfg" -p "$work/haproxy.pid"

{ [[ -n ${ROUTER_EVENT_LOOPS:-} ]] && printf '[router]\nevent_loops = %s\n' "$ROUTER_EVENT_LOOPS"; true; } > "$work/router.toml"
cat >> "$work/router.toml" <<CONF
[[listener]]
address = "127.0.0.1:$router_port"
[admin]
address = "127.0.0.1:0"
[upstream."app.bench"]
servers = [{ host = "127.0.0.1", port = $upstream_port }]
CONF
# In a session of its own, as nginx and HAProxy are once they daemonize: with the kernel's
# autogroup scheduling a session shares CPU as one group, so a router left in this script's session
# would share one group's time with wrk while each other proxy has a group to itself.
setsid "$router_bin" -c "$work/router.toml" 2> "$work/router.log" < /dev/null &
router_pid=$!
pids+=("$router_pid")
for _ in $(seq 1 100); do
    curl -sf -o /dev/null -H 'Host: app.bench' "http://127.0.0.1:$router_port/small" && break
    sleep 0.1
done
curl -sf -o /dev/null -H 'Host: app.bench' "http://127.0.0.1:$nginx_port/small"
curl -sf -o /dev/null -H 'Host: app.bench' "http://127.0.0.1:$haproxy_port/small"

# wrk output → "requests_per_second p50_ms p99_ms non2xx requests"
run_wrk() {  # $1 port, $2 path
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -H 'Host: app.bench' "http://127.0.0.1:$1/$2" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
p50, p99 = ms("50%"), ms("99%")
total = int(re.search(r"(\d+) requests in", text).group(1))
print("%.0f %.2f %.2f %s %d" % (rps, p50, p99, errors.group(1) if errors else 0, total))
'
}

# CPU time (utime and stime, in clock ticks of 10 ms) of processes, to report CPU per request.
cpu_ticks() { local user=0 system=0 u s; for p in "$@"; do read -r u s < <(awk '{print $14, $15}' "/proc/$p/stat"); user=$((user + u)); system=$((system + s)); done; echo "$user $system"; }
# Voluntary and involuntary context switches of every thread of processes.
switches() { local voluntary=0 involuntary=0 v n; for p in "$@"; do for t in /proc/$p/task/*/status; do
    read -r v n < <(awk '/^voluntary_ctxt/ {v=$2} /^nonvoluntary_ctxt/ {n=$2} END {print v+0, n+0}' "$t" 2>/dev/null || echo 0 0)
    voluntary=$((voluntary + v)); involuntary=$((involuntary + n)); done; done; echo "$voluntary $involuntary"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$router_pid/status"; }
peak_kib() { awk '/^VmHWM/ {print $2}' "/proc/$router_pid/status"; }

proxy_workers=$(pgrep -P "$(cat "$work/proxy.pid")" | tr '\n' ' ')
haproxy_pid=$(cat "$work/haproxy.pid")
printf '%-8s %-7s %10s %9s %9s %7s %12s %14s %14s\n' target size req/s p50_ms p99_ms non2xx cpu_us/req usr+sys_us/req vol+invol/1k
declare -A result
for size in small big; do
    # Warm-up: connection pools, page cache, allocator.
    wrk -t1 -c8 -d1s -H 'Host: app.bench' "http://127.0.0.1:$router_port/$size" >/dev/null
    wrk -t1 -c8 -d1s -H 'Host: app.bench' "http://127.0.0.1:$nginx_port/$size" >/dev/null
    wrk -t1 -c8 -d1s -H 'Host: app.bench' "http://127.0.0.1:$haproxy_port/$size" >/dev/null
    for round in $(seq "$rounds"); do
        # Every other round in reverse order, so that no proxy always runs right after another's
        # load (or always first): on a shared machine the neighbours' load shifts within seconds.
        order="direct nginx haproxy router"
        (( round % 2 == 0 )) && order="router haproxy nginx direct"
        for target in $order; do
            case $target in
                direct) port=$upstream_port; measured="" ;;
                nginx) port=$nginx_port; measured=$proxy_workers ;;
                haproxy) port=$haproxy_port; measured=$haproxy_pid ;;
                router) port=$router_port; measured=$router_pid ;;
            esac
            read -r user_before system_before < <( [[ -n $measured ]] && cpu_ticks $measured || echo 0 0 )
            read -r vol_before invol_before < <( [[ -n $measured ]] && switches $measured || echo 0 0 )
            read -r rps p50 p99 errors total < <(run_wrk "$port" "$size")
            read -r user_after system_after < <( [[ -n $measured ]] && cpu_ticks $measured || echo 0 0 )
            read -r vol_after invol_after < <( [[ -n $measured ]] && switches $measured || echo 0 0 )
            cpu="-" split="-" switched="-"
            if [[ -n $measured ]]; then
                read -r cpu split switched < <(python3 -c "
u, s = ($user_after - $user_before) * 10000 / $total, ($system_after - $system_before) * 10000 / $total
v, i = ($vol_after - $vol_before) * 1000 / $total, ($invol_after - $invol_before) * 1000 / $total
print(round(u + s, 1), f'{u:.1f}+{s:.1f}', f'{v:.0f}+{i:.0f}')")
            fi
            [[ $target == router ]] && result[rss_$size]=$(rss_kib)
            result[${target}_${size}_$round]="$rps $p50 $p99 $cpu"
            printf '%-8s %-7s %10s %9s %9s %7s %12s %14s %14s  round %s\n' "$target" "$size" "$rps" "$p50" "$p99" "$errors" "$cpu" "$split" "$switched" "$round"
        done
    done
done

echo
for size in small big; do
    rows=""
    for round in $(seq "$rounds"); do
        rows+="${result[router_${size}_$round]} ${result[nginx_${size}_$round]} ${result[haproxy_${size}_$round]} ${result[direct_${size}_$round]};"
    done
    python3 - "$size" "$rows" <<'PY'
import statistics, sys
size, text = sys.argv[1], sys.argv[2]
rounds = [[float(x) if x != "-" else float("nan") for x in row.split()] for row in text.strip(";").split(";")]
# per round: router rps p50 p99 cpu | nginx rps p50 p99 cpu | haproxy rps p50 p99 cpu | direct rps p50 p99 cpu
rps = [r[0] / r[4] for r in rounds]
p99_held = sum(1 for r in rounds if r[2] <= r[6])
rps_held = sum(1 for r in rounds if r[0] >= r[4])
cpu = [r[3] / r[7] for r in rounds]
haproxy = [r[0] / r[8] for r in rounds]
direct = [r[0] / r[12] for r in rounds]
each = ", ".join(f"{x:.2f}x" for x in rps)
p99s = ", ".join(f"{r[2]:.2f} vs {r[6]:.2f}" for r in rounds)
print(f"{size}: router/nginx req/s median {statistics.median(rps):.2f}x (rounds {each}; at least nginx's in {rps_held} of {len(rounds)}), "
      f"p99 router vs nginx ms {p99s} (at or below nginx's in {p99_held} of {len(rounds)}), "
      f"CPU per request router/nginx median {statistics.median(cpu):.2f}x, router/haproxy req/s median {statistics.median(haproxy):.2f}x, "
      f"router/direct median {statistics.median(direct):.2f}x")
PY
done
echo "router RSS under load: small $((result[rss_small] / 1024)) MiB, 64 KiB $((result[rss_big] / 1024)) MiB, peak $(( $(peak_kib) / 1024 )) MiB"
