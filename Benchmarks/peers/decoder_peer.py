"""Peer for Benchmarks/Sources/RunnelBench/DecoderBenchmarks.swift, doing the same work in Python:

- decoder.nginx_combined: `re` with the regex equivalent to the combined log_format, then what
  NginxAccessDecoder does with the captures (integers, the time to nanoseconds, the request split,
  "-" dropped). Impl `python-re` is the regex match and groupdict alone, the floor of that approach.
- decoder.json_object: `json.loads`, then flattening nested keys into typed fields as JsonDecoder
  does. Impl `py-loads` is json.loads alone.
No packages needed beyond the standard library."""
import json
import re

from peer_harness import run

NGINX_LINE = (
    '203.0.113.195 - - [14/Nov/2023:22:13:20 +0000] "GET /api/v1/orders?page=2&size=50 HTTP/1.1" 200 5123 '
    '"https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0"'
).encode()

JSON_OBJECT = (
    '{"time":"2023-11-14T22:13:20.123456Z","level":"info","msg":"order created","service":"orders-api",'
    '"http":{"method":"POST","path":"/api/v1/orders","status":201,"duration_ms":12.5},'
    '"user":{"id":48213,"roles":["buyer","beta"]},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}'
).encode()

# $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
COMBINED = re.compile(
    rb'(?P<remote_addr>\S+) - (?P<remote_user>\S+) \[(?P<time_local>[^\]]+)\] "(?P<request>(?:[^"\\]|\\.)*)" '
    rb'(?P<status>-?\d+) (?P<body_bytes_sent>-?\d+) "(?P<http_referer>(?:[^"\\]|\\.)*)" '
    rb'"(?P<http_user_agent>(?:[^"\\]|\\.)*)"$'
)

MONTHS = {m: i + 1 for i, m in enumerate(
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"])}
INTEGERS = ("status", "body_bytes_sent")


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def clf_time_ns(t):
    # 14/Nov/2023:22:13:20 +0000
    day, month, year = int(t[0:2]), MONTHS[t[3:6]], int(t[7:11])
    seconds = days_from_civil(year, month, day) * 86400 + int(t[12:14]) * 3600 + int(t[15:17]) * 60 + int(t[18:20])
    offset = (int(t[22:24]) * 3600 + int(t[24:26]) * 60) * (-1 if t[21:22] == b"-" else 1)
    return (seconds - offset) * 1_000_000_000


def decode_nginx(line):
    match = COMBINED.match(line)
    if match is None:
        raise ValueError("line does not fit")
    fields = []
    timestamp = None
    for name, value in match.groupdict().items():
        if value == b"-":
            continue
        if name == "time_local":
            timestamp = clf_time_ns(value)
        elif name in INTEGERS:
            fields.append((name, int(value)))
        else:
            fields.append((name, value))
            if name == "request":
                parts = value.split(b" ")
                if len(parts) == 3:
                    fields += [("request_method", parts[0]), ("request_uri", parts[1]), ("server_protocol", parts[2])]
    return timestamp, fields


def flatten(obj, prefix, fields):
    for key, value in obj.items():
        name = prefix + "." + key if prefix else key
        if value is None:
            continue
        if isinstance(value, dict):
            flatten(value, name, fields)
        elif isinstance(value, list):
            if value and all(type(v) is type(value[0]) for v in value) and not isinstance(value[0], (dict, list)):
                fields.append((name, value))
            else:
                flatten({str(i): v for i, v in enumerate(value)}, name, fields)
        else:
            fields.append((name, value))
    return fields


def decode_json(text):
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("expected a JSON object")
    return flatten(document, "", [])


def main():
    timestamp, fields = decode_nginx(NGINX_LINE)
    assert timestamp == 1700000000_000000000, timestamp
    assert len(fields) == 9, fields  # as NginxAccessDecoder: remote_user "-" adds nothing
    assert len(decode_json(JSON_OBJECT)) == 11

    def nginx(n):
        for _ in range(n):
            decode_nginx(NGINX_LINE)

    def nginx_regex_only(n):
        for _ in range(n):
            COMBINED.match(NGINX_LINE).groupdict()

    def json_fields(n):
        for _ in range(n):
            decode_json(JSON_OBJECT)

    def json_loads_only(n):
        for _ in range(n):
            json.loads(JSON_OBJECT)

    run("python", "decoder.nginx_combined", nginx, len(NGINX_LINE))
    run("python-re", "decoder.nginx_combined", nginx_regex_only, len(NGINX_LINE))
    run("python", "decoder.json_object", json_fields, len(JSON_OBJECT))
    run("py-loads", "decoder.json_object", json_loads_only, len(JSON_OBJECT))


if __name__ == "__main__":
    main()
