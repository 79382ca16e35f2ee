#!/usr/bin/env bash
# A private Docker engine for Runnel's tests and `make run`, never the system's:
#   deploy/local/dockerd.sh start DIR   start dockerd with its socket at DIR/docker.sock (idempotent)
#   deploy/local/dockerd.sh stop DIR    stop it by the pid in DIR/docker.pid (containers killed, kept)
#   deploy/local/dockerd.sh image DIR   import the busybox image runnel-test/busybox:latest (idempotent)
# No registry is reachable here, so the only image is built from the static busybox binary.
set -euo pipefail
action=${1:?usage: dockerd.sh start|stop|image DIR}
dir=$(mkdir -p "${2:?usage: dockerd.sh start|stop|image DIR}" && cd "$2" && pwd)
sock="$dir/docker.sock"
docker_cli() { docker -H "unix://$sock" "$@"; }

case $action in
start)
    if [[ -S $sock ]] && docker_cli version >/dev/null 2>&1; then exit 0; fi
    mkdir -p "$dir/root" "$dir/exec"
    # Short exec-root: containerd's socket paths must stay under the 108-byte unix socket limit.
    exec_root=$(mktemp -d /tmp/rdx.XXXXXX)
    echo "$exec_root" > "$dir/exec-root"
    nohup dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
        --data-root="$dir/root" --exec-root="$exec_root" -H "unix://$sock" \
        --pidfile "$dir/docker.pid" >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 150); do
        if docker_cli version >/dev/null 2>&1; then exit 0; fi
        sleep 0.2
    done
    echo "dockerd did not start; see $dir/dockerd.log" >&2
    tail -20 "$dir/dockerd.log" >&2 || true
    exit 1
    ;;
stop)
    if [[ -f $dir/docker.pid ]]; then
        pid=$(cat "$dir/docker.pid")
        if kill -0 "$pid" 2>/dev/null; then
            # Kill running containers first (they stay, as exited): otherwise dockerd waits out each
            # one's stop timeout, is killed hard, and leaves its mounts behind.
            running=$(docker_cli ps -q 2>/dev/null || true)
            if [[ -n $running ]]; then docker_cli kill $running >/dev/null 2>&1 || true; fi
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    # Whatever a hard-killed dockerd left mounted (network namespaces, the data root), and its
    # exec root, are released.
    exec_root=$(cat "$dir/exec-root" 2>/dev/null || true)
    for prefix in "$dir/root" ${exec_root:+"$exec_root"}; do
        grep -o " $prefix[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    done
    if [[ $exec_root == /tmp/rdx.* ]]; then rm -rf "$exec_root"; fi
    rm -f "$dir/exec-root"
    ;;
image)
    if docker_cli image inspect runnel-test/busybox:latest >/dev/null 2>&1; then exit 0; fi
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin"
    cp "$(command -v busybox)" "$rootfs/bin/busybox"
    for applet in sh echo seq yes sleep cat head date printf awk dd tr; do ln -s busybox "$rootfs/bin/$applet"; done
    tar -C "$rootfs" -cf "$rootfs.tar" .
    docker_cli import "$rootfs.tar" runnel-test/busybox:latest >/dev/null
    rm -rf "$rootfs" "$rootfs.tar"
    ;;
*)
    echo "unknown action $action" >&2
    exit 2
    ;;
esac
