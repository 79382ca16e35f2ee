import RunnelCore
import RunnelPlugins

/// Decoders on realistic records (peer: peers/decoder_peer.py, Python's `re` with the equivalent
/// regex and conversions for the nginx line, `json.loads` plus the same flattening for JSON).
enum DecoderBenchmarks {
    /// Keep in step with NGINX_LINE in peers/decoder_peer.py.
    static let nginxLine = #"203.0.113.195 - - [14/Nov/2023:22:13:20 +0000] "GET /api/v1/orders?page=2&size=50 HTTP/1.1" 200 5123 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0""#

    /// Keep in step with JSON_OBJECT in peers/decoder_peer.py.
    static let jsonObject = #"{"time":"2023-11-14T22:13:20.123456Z","level":"info","msg":"order created","service":"orders-api","http":{"method":"POST","path":"/api/v1/orders","status":201,"duration_ms":12.5},"user":{"id":48213,"roles":["buyer","beta"]},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#

    static var all: [Benchmark] {
        [
            decoding("decoder.nginx_combined", line: nginxLine) {
                try? NginxAccessDecoder(logFormat: #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#)
            },
            decoding("decoder.json_object", line: jsonObject) {
                let built = try? JsonDecoder.registration.build(
                    PluginInstanceConfig(name: "json", typeName: "JsonDecoder", category: .decoder, options: [:],
                                         location: FileLocation(file: "bench", line: 0, column: 0)),
                    PluginBuildContext(global: GlobalOptions(), hostname: "bench"))
                if case .decoder(let decoder)? = built { return decoder }
                return nil
            },
        ]
    }

    /// Decodes the raw message a file input makes of `line`, `iterations` times.
    static func decoding(_ name: String, line: String, make: () -> (any Decoder)?) -> Benchmark {
        let raw = Message(uuid: MessageUUID(high: 1, low: 2), timestamp: 1_700_000_000_000_000_000, type: "logfile",
                          logger: "access.log", payload: ByteString(line), hostname: "bench-host")
        guard let decoder = make(), let first = try? decoder.decode(raw), first.count == 1 else {
            fatalError("\(name): the benchmark decoder does not decode its own line")
        }
        return Benchmark(name, bytesPerOperation: line.utf8.count) { iterations in
            var sink = 0
            for _ in 0..<iterations { sink &+= (try? decoder.decode(raw))?.first?.fields.count ?? -1 }
            return sink
        }
    }
}
