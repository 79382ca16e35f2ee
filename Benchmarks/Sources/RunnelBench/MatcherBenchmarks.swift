import RunnelCore

/// Matcher evaluation on a realistic Docker log message (the shape Runnel's Docker input builds).
/// Peer: Benchmarks/peers/matcher_peer.py.
enum MatcherBenchmarks {
    static let message: Message = {
        var message = Message(
            uuid: MessageUUID.random(), timestamp: 1_732_560_000_123_456_789, type: "TEST",
            logger: "web-17.api", severity: 6,
            payload: ByteString("10.0.3.7 - - [25/Nov/2024:18:40:00 +0000] \"GET /api/v1/orders?id=42 HTTP/1.1\" status=503 bytes=1432 rt=0.042 ua=\"curl/8.5.0\""),
            pid: 4242, hostname: "node-3.dc1")
        message.addField(.string("ContainerID", "3f2a9c1b7d4e"))
        message.addField(.string("ContainerImage", "registry.local/web:1.42.0"))
        message.addField(.string("ContainerName", "web-17.api"))
        message.addField(.string("MARATHON_APP_ID", "/prod/web"))
        message.addField(.integer("stream_bytes", 131))
        return message
    }()

    static let expressions: [(name: String, expression: String)] = [
        ("matcher.simple_equality", "Type == 'TEST'"),
        ("matcher.fields_regex", "Fields[ContainerName] =~ /^web-[0-9]+\\.api$/"),
        ("matcher.six_term", "Type == 'TEST' && Severity <= 6 && (Fields[MARATHON_APP_ID] == '/prod/web' "
            + "|| Fields[ContainerImage] =~ /^registry\\.local\\/web:/) && Payload =~ /status=5[0-9]{2}/ "
            + "&& Fields[ContainerID] != NIL"),
    ]

    static var all: [Benchmark] {
        expressions.map { name, expression in
            // A bad expression here is a bug in this file: fail loudly rather than time nothing.
            guard let matcher = try? MessageMatcher(expression), matcher.matches(message) else {
                fatalError("benchmark expression must compile and match: \(expression)")
            }
            let message = Self.message
            return Benchmark(name) { iterations in
                var matched = 0
                for _ in 0..<iterations where matcher.matches(message) { matched += 1 }
                return matched
            }
        }
    }
}
