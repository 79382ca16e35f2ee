"""Reads benchmark JSON lines (Runnel's and the peers') on stdin and prints, per benchmark name, each
implementation's figures and Runnel's ratio against every peer measured in the same run."""
import json
import sys

rows = {}
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    rows.setdefault(r["name"], {})[r["impl"]] = r

print(f"{'benchmark':44} {'impl':10} {'ops/s':>14} {'MiB/s':>9} {'runnel ÷ peer':>14}")
for name, impls in rows.items():
    ours = impls.get("runnel")
    for impl, r in impls.items():
        ratio = ""
        if impl != "runnel" and ours:
            ratio = f"{ours['ops_per_sec'] / max(r['ops_per_sec'], 1):.2f}×"
        mib = r.get("mib_per_sec", "")
        print(f"{name:44} {impl:10} {r['ops_per_sec']:>14,} {mib!s:>9} {ratio:>14}")
