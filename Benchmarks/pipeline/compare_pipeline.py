"""Prints the pipeline benchmark results as a table with Runnel's ratios against rsyslog."""
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.startswith("{")]
by_name = {r["name"]: r for r in rows}
print(f"\n{'run':32} {'lines/s':>10} {'MiB/s':>7} {'CPU s':>7} {'peak RSS MiB':>13} {'done':>5}")
for r in rows:
    print(f"{r['name']:32} {r['lines_per_s']:>10,} {r['mib_per_s']:>7} {r['cpu_s']:>7} {r['peak_rss_mib']:>13} {str(r['complete']):>5}")
print()
for case in ["file_to_json", "tcp_to_json"]:
    ours, theirs = by_name.get("runnel." + case), by_name.get("rsyslog." + case)
    if ours and theirs:
        print(f"{case}: runnel ÷ rsyslog = {ours['lines_per_s'] / max(theirs['lines_per_s'], 1):.2f}× lines/s, "
              f"{ours['cpu_s'] / max(theirs['cpu_s'], 0.01):.2f}× CPU, {ours['peak_rss_mib'] / max(theirs['peak_rss_mib'], 0.1):.2f}× peak RSS")
