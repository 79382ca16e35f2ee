#!/usr/bin/env bash
# Builds the micro benchmarks in release mode, runs them and their peers in the same run, and prints
# the figures with Runnel's ratio against each peer. Extra arguments filter benchmark names.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p out
swift build -c release --product RunnelBench >&2
results=out/micro-$(date +%Y%m%d-%H%M%S).jsonl
{
    .build/release/RunnelBench "$@"
    for peer in peers/*_peer.py; do
        python3 "$peer" "$@"
    done
} | tee "$results" | grep --line-buffered -v '^{' || true
python3 compare.py < "$results"
echo "raw results: Benchmarks/$results" >&2
