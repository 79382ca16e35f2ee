"""Peer for Benchmarks/Sources/RunnelBench/ElasticsearchBenchmarks.swift: Python builds the same
bulk action line and document for the Docker log message (index per app and day, a SHA-1
deterministic id, flat document) with json, and with orjson when installed."""
import base64
import hashlib
import json
import struct
import time

from peer_harness import run
from json_peer import DOCKER_LOG

try:
    import orjson
except ImportError:
    orjson = None


def doc_id(m):
    parts = [m["Hostname"], m["Fields"]["ContainerID"], m["Logger"], str(m["Timestamp"]), m["Payload"]]
    raw = b"".join(struct.pack(">I", len(p.encode())) + p.encode() for p in parts)
    return base64.urlsafe_b64encode(hashlib.sha1(raw).digest()).rstrip(b"=").decode()


def document(m):
    t = time.gmtime(m["Timestamp"] // 1_000_000_000)
    index = m["Fields"]["MARATHON_APP_ID"].strip("/").replace("/", "-").lower() + time.strftime("-%Y.%m.%d", t)
    action = {"create": {"_index": index, "_id": doc_id(m)}}
    doc = {"Uuid": m["Uuid"], "@timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", t), "Type": m["Type"], "Logger": m["Logger"],
           "Severity": 7, "Payload": m["Payload"], "EnvVersion": "", "Pid": 0, "Hostname": m["Hostname"]}
    doc.update(m["Fields"])
    return action, doc


def encode_json(n):
    total = 0
    for _ in range(n):
        action, doc = document(DOCKER_LOG)
        total += len((json.dumps(action, separators=(",", ":")) + "\n" + json.dumps(doc, separators=(",", ":")) + "\n").encode())
    return total


def encode_orjson(n):
    total = 0
    for _ in range(n):
        action, doc = document(DOCKER_LOG)
        total += len(orjson.dumps(action) + b"\n" + orjson.dumps(doc) + b"\n")
    return total


size = encode_json(1)
run("python-json", "es.json_encoder_dockerlog", encode_json, size)
if orjson:
    run("python-orjson", "es.json_encoder_dockerlog", encode_orjson, size)
