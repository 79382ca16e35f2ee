#!/usr/bin/env bash
# `make run`: writes demo access-log lines into state/demo-logs/ and runs the agent on the given
# config (default plugins.toml) in the foreground. Ctrl-C stops both; the agent drains first.
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${1:-plugins.toml}
mkdir -p state/demo-logs state/out
deploy/local/demo-logs.sh state/demo-logs/access.log 5 &
generator=$!
trap 'kill $generator 2>/dev/null || true' EXIT
echo "run: appending demo lines to state/demo-logs/access.log; archive in state/out/; status at http://127.0.0.1:4352/" >&2
.build/debug/runnel agent -c "$config"
