"""Peer for Benchmarks/Sources/RunnelBench/MatcherBenchmarks.swift: the same three matcher questions
asked in plain Python on the same message held as a dict.

- matcher.simple_equality: `msg["Type"] == "TEST"` (a dict lookup and a string compare).
- matcher.fields_regex: Python `re`, a compiled pattern's `.search` on the ContainerName string
  (the field value handed over directly; no field lookup).
- matcher.six_term: the same six conditions written as a Python boolean expression over the dict,
  with `re` for the two regexes (short-circuiting like Runnel's).

These are hand-written Python expressions, not a matcher language: no parsing, no typing rules. They
show what the same work costs in an interpreted language with a C regex engine.
"""
import re
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import peer_harness  # noqa: E402

MESSAGE = {
    "Type": "TEST",
    "Logger": "web-17.api",
    "Severity": 6,
    "Payload": '10.0.3.7 - - [25/Nov/2024:18:40:00 +0000] "GET /api/v1/orders?id=42 HTTP/1.1" '
               'status=503 bytes=1432 rt=0.042 ua="curl/8.5.0"',
    "Pid": 4242,
    "Hostname": "node-3.dc1",
    "Fields": {
        "ContainerID": "3f2a9c1b7d4e",
        "ContainerImage": "registry.local/web:1.42.0",
        "ContainerName": "web-17.api",
        "MARATHON_APP_ID": "/prod/web",
        "stream_bytes": 131,
    },
}


def simple_equality(n):
    msg = MESSAGE
    matched = 0
    for _ in range(n):
        if msg["Type"] == "TEST":
            matched += 1
    return matched


NAME_RE = re.compile(r"^web-[0-9]+\.api$")


def fields_regex(n):
    name = MESSAGE["Fields"]["ContainerName"]
    search = NAME_RE.search
    matched = 0
    for _ in range(n):
        if search(name):
            matched += 1
    return matched


IMAGE_RE = re.compile(r"^registry\.local/web:")
STATUS_RE = re.compile(r"status=5[0-9]{2}")


def six_term(n):
    msg = MESSAGE
    matched = 0
    for _ in range(n):
        fields = msg["Fields"]
        if (msg["Type"] == "TEST" and msg["Severity"] <= 6
                and (fields.get("MARATHON_APP_ID") == "/prod/web"
                     or IMAGE_RE.search(fields.get("ContainerImage", "")))
                and STATUS_RE.search(msg["Payload"])
                and "ContainerID" in fields):
            matched += 1
    return matched


if __name__ == "__main__":
    assert simple_equality(1) == 1 and fields_regex(1) == 1 and six_term(1) == 1
    peer_harness.run("python", "matcher.simple_equality", simple_equality)
    peer_harness.run("python", "matcher.fields_regex", fields_regex)
    peer_harness.run("python", "matcher.six_term", six_term)
