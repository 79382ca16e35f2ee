import RunnelCore

/// MessageJSON on a realistic Docker log message (peer: peers/json_peer.py, Python's json and
/// orjson on the same document, producing the same text).
enum JSONBenchmarks {
    static var all: [Benchmark] {
        let message = dockerLogMessage
        let json = MessageJSON.encode(message)
        return [
            Benchmark("json.encode_message", bytesPerOperation: json.count) { iterations in
                var sink = 0
                for _ in 0..<iterations { sink &+= MessageJSON.encode(message).count }
                return sink
            },
            Benchmark("json.decode_message", bytesPerOperation: json.count) { iterations in
                var sink = 0
                for _ in 0..<iterations { sink &+= (try? MessageJSON.decode(json))?.fields.count ?? -1 }
                return sink
            },
        ]
    }

    /// Keep in step with DOCKER_LOG in peers/json_peer.py (the peer checks the text is identical).
    static let dockerLogMessage = Message(
        uuid: MessageUUID(high: 0x6BA7_B810_9DAD_41D1, low: 0x80B4_00C0_4FD4_30C8),
        timestamp: 1_700_000_000_123_456_789,
        type: "DockerLog",
        logger: "stdout",
        payload: #"10.0.3.17 - - [14/Nov/2023:22:13:20 +0000] "GET /api/v1/orders?page=2&size=50 HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64)" 0.004"#,
        hostname: "mesos-agent-07.prod.example.net",
        fields: [
            .string("ContainerID", "3f4e8a9b2c1d"),
            .string("ContainerName", "mesos-9a3b5c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d"),
            .string("ContainerImage", "registry.example.net/shop/orders-api:2.14.1"),
            .string("MARATHON_APP_ID", "/shop/orders-api"),
            .string("MESOS_TASK_ID", "shop_orders-api.7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            .string("Stream", "stdout"),
            .integer("StatusCode", 200),
            .integer("BodyBytes", 5123),
            .double("RequestTime", 0.004),
            .bool("Partial", false),
        ])
}
