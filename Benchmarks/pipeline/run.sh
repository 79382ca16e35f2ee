#!/usr/bin/env bash
# Side-by-side pipeline benchmark (issue 3): Runnel and rsyslog 8 doing the same work on the same
# generated 1,000,000-line nginx access log, in the same run.
#   1. file → JSON lines file    (rsyslog: imfile → omfile with a JSON template)
#   2. TCP newline stream → JSON lines file (rsyslog: imtcp → omfile), when Runnel has TcpInput
# Prints lines/s, MiB/s, CPU seconds and peak RSS for each, and Runnel's ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lines=${LINES_TOTAL:-1000000}
work=$(mktemp -d /tmp/runnel-pipeline-bench.XXXXXX)
trap 'pkill -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/logs"

(cd "$repo" && swift build -c release --product runnel >&2)
runnel="$repo/.build/release/runnel"
# The plugin reference tells which optional runs this build supports (read once: `grep -q` on a
# pipe would cut the writer off, which pipefail reports as a failure).
"$runnel" docs > "$work/plugins.md"
python3 "$here/gen_access_log.py" "$lines" "$work/logs/access.log"
export INPUT_BYTES=$(stat -c %s "$work/logs/access.log")
results="$work/results.jsonl"

rsyslog_conf() {  # $1: input stanza
    cat <<CONF
global(workDirectory="$work/rsyslog-work")
module(load="imfile")
module(load="imtcp")
template(name="json" type="list" option.jsonf="on") {
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
}
ruleset(name="out") { action(type="omfile" file="$work/rsyslog.json" template="json") }
$1
CONF
}
mkdir -p "$work/rsyslog-work"

# 1. file → JSON lines
rsyslog_conf "input(type=\"imfile\" File=\"$work/logs/access.log\" Tag=\"access\" ruleset=\"out\")" > "$work/rsyslog-file.conf"
python3 "$here/measure.py" rsyslog.file_to_json "$lines" "$work/rsyslog.json" -- \
    rsyslogd -n -f "$work/rsyslog-file.conf" -i "$work/rsyslog.pid" | tee -a "$results"
rm -rf "$work/rsyslog-work"/* "$work/rsyslog.json"

runnel_conf() {  # $1: input section, $2: extra output options
    cat <<CONF
[runnel]
base_dir = "$work/runnel-state"
admin_address = "127.0.0.1:0"
$1
[out]
type = "FileOutput"
message_matcher = "TRUE"
path = "$work/runnel.json"
encoder = "JsonEncoder"
$2
CONF
}
file_input="[access]
type = \"LogstreamerInput\"
log_directory = \"$work/logs\"
file_match = 'access\\.log'"
runnel_conf "$file_input" "" > "$work/runnel-file.toml"
rm -rf "$work/runnel-state"
python3 "$here/measure.py" runnel.file_to_json "$lines" "$work/runnel.json" -- \
    "$runnel" agent -c "$work/runnel-file.toml" | tee -a "$results"

# With the nginx decoder in the path, when this build has it.
if grep -q NginxAccessDecoder "$work/plugins.md"; then
    runnel_conf "$file_input
decoder = \"nginx\"
[nginx]
type = \"NginxAccessDecoder\"
log_format = '\$remote_addr - \$remote_user [\$time_local] \"\$request\" \$status \$body_bytes_sent \"\$http_referer\" \"\$http_user_agent\"'" "" > "$work/runnel-nginx.toml"
    rm -rf "$work/runnel-state"
    python3 "$here/measure.py" runnel.file_nginx_to_json "$lines" "$work/runnel.json" -- \
        "$runnel" agent -c "$work/runnel-nginx.toml" | tee -a "$results"
fi

# With the disk queue in front of the output, when this build has it.
if grep -q "max_file_size" "$work/plugins.md"; then
    runnel_conf "$file_input" "use_buffering = true" > "$work/runnel-buffered.toml"
    rm -rf "$work/runnel-state"
    python3 "$here/measure.py" runnel.file_buffered_to_json "$lines" "$work/runnel.json" -- \
        "$runnel" agent -c "$work/runnel-buffered.toml" | tee -a "$results" || true
fi

# 2. TCP newline stream → JSON lines
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
rsyslog_conf "input(type=\"imtcp\" port=\"$port\" address=\"127.0.0.1\" ruleset=\"out\")" > "$work/rsyslog-tcp.conf"
python3 "$here/measure.py" rsyslog.tcp_to_json "$lines" "$work/rsyslog.json" --feed-tcp "$port" "$work/logs/access.log" -- \
    rsyslogd -n -f "$work/rsyslog-tcp.conf" -i "$work/rsyslog-tcp.pid" | tee -a "$results"
if grep -q TcpInput "$work/plugins.md"; then
    port=$(free_port)
    runnel_conf "[tcp]
type = \"TcpInput\"
address = \"127.0.0.1:$port\"
splitter = \"TokenSplitter\"" "" > "$work/runnel-tcp.toml"
    rm -rf "$work/runnel-state"
    python3 "$here/measure.py" runnel.tcp_to_json "$lines" "$work/runnel.json" --feed-tcp "$port" "$work/logs/access.log" -- \
        "$runnel" agent -c "$work/runnel-tcp.toml" | tee -a "$results"
fi

python3 "$here/compare_pipeline.py" < "$results"
