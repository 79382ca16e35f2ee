# Sourced by the Docker benchmarks: a work folder, a release `runnel` (or $RUNNEL), and a private
# dockerd with the busybox image, stopped and removed on exit. Sets: work, runnel, sock,
# dockerd_pid, ticks; defines docker (the CLI on that daemon), cpu_of PID (clock ticks used),
# and on_exit (extra cleanup a script may redefine).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/rdb.XXXXXX)   # short: dockerd's socket paths must stay under 108 bytes
on_exit() { :; }
cleanup() {
    on_exit
    "$repo/deploy/local/dockerd.sh" stop "$work/d" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

runnel=${RUNNEL:-}
if [[ -z $runnel ]]; then
    (cd "$repo" && swift build -c release --product runnel >&2)
    runnel="$repo/.build/release/runnel"
fi
"$repo/deploy/local/dockerd.sh" start "$work/d" >&2
"$repo/deploy/local/dockerd.sh" image "$work/d" >&2
sock="$work/d/docker.sock"
dockerd_pid=$(cat "$work/d/docker.pid")
ticks=$(getconf CLK_TCK)
docker() { command docker -H "unix://$sock" "$@"; }
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
