import RunnelCore
import RunnelElasticsearch

/// ESJsonEncoder alone: one Docker log message to its bulk action line and document, with an
/// index per app and day and a deterministic id (the configuration the output benchmark uses).
/// Peer: peers/elasticsearch_peer.py builds the same two lines with Python's json/orjson.
enum ElasticsearchBenchmarks {
    static func encoder() -> ESJsonEncoder {
        // The templates are constants; they parse.
        let index = try! InterpolatedTemplate("%{MARATHON_APP_ID}-%{%Y.%m.%d}", missing: "unknown")
        let action = ESBulkAction(kind: .create, index: index, typeName: nil, id: nil,
                                  deterministicID: try! DeterministicDocumentID(parts: DeterministicDocumentID.defaultParts),
                                  indexFromTimestamp: true)
        return try! ESJsonEncoder(action: action, keys: [.timestamp: "@timestamp"], timestampFormat: "%Y-%m-%dT%H:%M:%S")
    }

    static var all: [Benchmark] {
        let encoder = encoder()
        let message = JSONBenchmarks.dockerLogMessage
        var sample: [UInt8] = []
        try? encoder.encode(message, into: &sample)
        return [
            Benchmark("es.json_encoder_dockerlog", bytesPerOperation: sample.count) { n in
                var buffer: [UInt8] = []
                buffer.reserveCapacity(1024)
                var total = 0
                for _ in 0..<n {
                    buffer.removeAll(keepingCapacity: true)
                    try? encoder.encode(message, into: &buffer)
                    total &+= buffer.count
                }
                return total
            },
        ]
    }
}
