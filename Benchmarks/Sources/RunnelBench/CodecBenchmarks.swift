import RunnelCore

/// Heka protobuf encode and decode of a DockerLog-like message with 10 fields. The peer
/// (`peers/codec_peer.py`) builds the same message with Python's `protobuf` package.
enum CodecBenchmarks {
    static var all: [Benchmark] {
        let message = dockerLogMessage
        let bytes = MessageProtobuf.encode(message)
        return [
            Benchmark("codec.encode_10_fields", bytesPerOperation: bytes.count) { iterations in
                var total = 0
                for _ in 0..<iterations {
                    total &+= MessageProtobuf.encode(message).count
                }
                return total
            },
            Benchmark("codec.decode_10_fields", bytesPerOperation: bytes.count) { iterations in
                var total = 0
                for _ in 0..<iterations {
                    // A message that fails to decode would make the figure meaningless: count it loudly.
                    guard let decoded = try? MessageProtobuf.decode(bytes) else { return -1 }
                    total &+= decoded.fields.count
                }
                return total
            },
        ]
    }

    static var dockerLogMessage: Message {
        Message(
            uuid: MessageUUID(string: "6f1c3a52-8e0b-4d7a-9c21-5b3e7f0a1d44"),
            timestamp: 1_714_564_800_123_456_789,
            type: "DockerLog",
            logger: "stdout",
            severity: 6,
            payload: ByteString(
                "2024-05-01T12:00:00.123Z INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - "
                    + "GET /api/orders/12345 200 14ms user=alice trace=5f2b9c1d7a3e4b60"),
            pid: 4711,
            hostname: "mesos-agent-17.example.internal",
            fields: [
                .string("ContainerID", "4f2a9c1be7d3"),
                .string("ContainerName", "mesos-8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"),
                .string("ContainerImage", "registry.example.internal/shop/orders:1.42.0"),
                .string("MARATHON_APP_ID", "/shop/orders"),
                .string("MESOS_TASK_ID", "shop_orders.7d3e2f1a-0b9c-11ef-8a7b-0242ac110002"),
                .integer("http_status", 200),
                .integer("bytes_sent", 18_432, representation: "B"),
                .double("duration", 14.25, representation: "ms"),
                .bool("tty", false),
                .string("stream", "stdout"),
            ])
    }
}
