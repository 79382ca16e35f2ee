"""Timing helper shared by the peer scripts: the same method as Benchmarks/Sources/RunnelBench/Harness.swift
(calibrate to ~0.4 s a sample, best of 5), printing the same JSON line shape with impl = the peer's name."""
import json
import time


def run(impl, name, body, bytes_per_op=None, seconds=0.4, samples=5):
    n = 1
    while True:
        t = time.perf_counter(); body(n); elapsed = time.perf_counter() - t
        if elapsed >= seconds / 4 or n >= 1 << 30:
            n = max(1, int(n * seconds / max(elapsed, 1e-9)))
            break
        n *= 4
    best = float("inf")
    for _ in range(samples):
        t = time.perf_counter(); body(n); best = min(best, time.perf_counter() - t)
    ops = n / best
    line = {"impl": impl, "name": name, "ops_per_sec": int(ops)}
    if bytes_per_op:
        line["mib_per_sec"] = round(ops * bytes_per_op / 1048576, 1)
    print(json.dumps(line), flush=True)
