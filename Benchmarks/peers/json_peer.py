"""Peer for Benchmarks/Sources/RunnelBench/JSONBenchmarks.swift: Python's json (and orjson when
installed: `pip install orjson`) encoding and decoding the same Docker log message as a dict,
producing byte-for-byte the JSON text MessageJSON writes."""
import json

from peer_harness import run

DOCKER_LOG = {
    "Uuid": "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
    "Timestamp": 1700000000123456789,
    "Type": "DockerLog",
    "Logger": "stdout",
    "Payload": '10.0.3.17 - - [14/Nov/2023:22:13:20 +0000] "GET /api/v1/orders?page=2&size=50 HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64)" 0.004',
    "Hostname": "mesos-agent-07.prod.example.net",
    "Fields": {
        "ContainerID": "3f4e8a9b2c1d",
        "ContainerName": "mesos-9a3b5c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d",
        "ContainerImage": "registry.example.net/shop/orders-api:2.14.1",
        "MARATHON_APP_ID": "/shop/orders-api",
        "MESOS_TASK_ID": "shop_orders-api.7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "Stream": "stdout",
        "StatusCode": 200,
        "BodyBytes": 5123,
        "RequestTime": 0.004,
        "Partial": False,
    },
}

# MessageJSON.encode of JSONBenchmarks.dockerLogMessage, so both sides do the same work.
EXPECTED = (
    '{"Uuid":"6ba7b810-9dad-41d1-80b4-00c04fd430c8","Timestamp":1700000000123456789,"Type":"DockerLog",'
    '"Logger":"stdout","Payload":"10.0.3.17 - - [14/Nov/2023:22:13:20 +0000] \\"GET /api/v1/orders?page=2&size=50'
    ' HTTP/1.1\\" 200 5123 \\"-\\" \\"Mozilla/5.0 (X11; Linux x86_64)\\" 0.004","Hostname":"mesos-agent-07.prod.example.net",'
    '"Fields":{"ContainerID":"3f4e8a9b2c1d","ContainerName":"mesos-9a3b5c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d",'
    '"ContainerImage":"registry.example.net/shop/orders-api:2.14.1","MARATHON_APP_ID":"/shop/orders-api",'
    '"MESOS_TASK_ID":"shop_orders-api.7c9e6679-7425-40de-944b-e07fc1f90ae7","Stream":"stdout","StatusCode":200,'
    '"BodyBytes":5123,"RequestTime":0.004,"Partial":false}}'
).encode()


def python_json():
    def dumps(message):
        return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()

    assert dumps(DOCKER_LOG) == EXPECTED, dumps(DOCKER_LOG)
    assert json.loads(EXPECTED) == DOCKER_LOG

    def encode(n):
        for _ in range(n):
            dumps(DOCKER_LOG)

    def decode(n):
        for _ in range(n):
            json.loads(EXPECTED)

    run("python", "json.encode_message", encode, len(EXPECTED))
    run("python", "json.decode_message", decode, len(EXPECTED))


def orjson_peer():
    try:
        import orjson
    except ImportError:
        return
    assert orjson.dumps(DOCKER_LOG) == EXPECTED, orjson.dumps(DOCKER_LOG)
    assert orjson.loads(EXPECTED) == DOCKER_LOG

    def encode(n):
        for _ in range(n):
            orjson.dumps(DOCKER_LOG)

    def decode(n):
        for _ in range(n):
            orjson.loads(EXPECTED)

    run("orjson", "json.encode_message", encode, len(EXPECTED))
    run("orjson", "json.decode_message", decode, len(EXPECTED))


if __name__ == "__main__":
    python_json()
    orjson_peer()
