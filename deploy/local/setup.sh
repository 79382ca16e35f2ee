#!/usr/bin/env bash
# Installs what Runnel's build, tests and benchmarks need and is missing, and nothing else.
# Idempotent, non-interactive, safe to run as root on a fresh Debian 12 machine of this kind.
#   deploy/local/setup.sh            build + test dependencies
#   deploy/local/setup.sh --bench    also the side-by-side benchmark peers
set -euo pipefail

want_bench=0
[[ "${1:-}" == "--bench" ]] && want_bench=1

log() { printf 'setup: %s\n' "$*" >&2; }

# C libraries the package links (Package.swift systemLibrary targets) and pkg-config to find them.
apt_packages=(pkg-config libpcre2-dev libssl-dev librdkafka-dev libcurl4-openssl-dev zlib1g-dev)
# The private Docker engine of the integration tests and `make run` (deploy/local/dockerd.sh), and
# the static busybox its only image is built from (no registry is reachable).
apt_packages+=(docker.io busybox-static)
pip_packages=()
if [[ $want_bench == 1 ]]; then
    # Peers measured beside Runnel: rsyslog (pipeline), hyperfine, curl (Elasticsearch bulk); Python's protobuf and orjson.
    apt_packages+=(rsyslog hyperfine curl)
    pip_packages+=("protobuf" "orjson")
fi

missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) != 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
fi

for spec in "${pip_packages[@]}"; do
    module=${spec%%[=<>]*}
    [[ $module == protobuf ]] && module=google.protobuf
    python3 -c "import $module" 2>/dev/null && continue
    log "installing PyPI package: $spec"
    python3 -m pip install -q --disable-pip-version-check "$spec" </dev/null >&2
done

command -v swift >/dev/null || { log "swift is not on PATH (expected /opt/swift/usr/bin)"; exit 1; }
