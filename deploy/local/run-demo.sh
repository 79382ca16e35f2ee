#!/usr/bin/env bash
# `make run`: starts (when missing) the demo cluster of deploy/local/demo-apps.sh — a private dockerd
# with three tagged apps — and runs the agent on the given config (default plugins.toml) in the
# foreground, pointed at that daemon through DOCKER_HOST. Ctrl-C stops the agent (it drains first);
# the demo daemon keeps running for the next run: `deploy/local/demo-apps.sh stop state/dockerd`.
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${1:-plugins.toml}
mkdir -p state/out
DOCKER_HOST=$(deploy/local/demo-apps.sh start state/dockerd)
export DOCKER_HOST
echo "run: demo apps /demo/web (2 containers) and /demo/worker on $DOCKER_HOST; archive in state/out/; status at http://127.0.0.1:4352/" >&2
exec .build/debug/runnel agent -c "$config"
