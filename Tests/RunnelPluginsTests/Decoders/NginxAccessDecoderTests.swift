import RunnelCore
@testable import RunnelPlugins
import Testing

@Suite struct NginxAccessDecoderTests {
    static let combinedLine = #"203.0.113.7 - alice [10/Oct/2023:13:55:36 -0700] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "https://shop.example/cart" "curl/8.4.0""#

    static func decoder(_ options: String = "") throws -> any Decoder {
        try DecoderFixture.decoder("[decoder]\ntype = \"NginxAccessDecoder\"\n" + options)
    }

    @Test func combinedFormatByDefault() throws {
        let message = try DecoderFixture.decodeOne(try Self.decoder(), Self.combinedLine)
        #expect(message.type == "nginx.access")
        #expect(message.timestamp == DecoderFixture.utc(2023, 10, 10, 20, 55, 36))
        #expect(message.payload == nil)
        #expect(message.logger == "input" && message.hostname == "test-host")
        #expect(message.fields == [
            .string("remote_addr", "203.0.113.7", representation: "ipv4"),
            .string("remote_user", "alice"),
            .string("request", "GET /api/v1/orders?page=2 HTTP/1.1"),
            .string("request_method", "GET"), .string("request_uri", "/api/v1/orders?page=2"),
            .string("server_protocol", "HTTP/1.1"),
            .integer("status", 200), .integer("body_bytes_sent", 5123, representation: "B"),
            .string("http_referer", "https://shop.example/cart"), .string("http_user_agent", "curl/8.4.0"),
        ])
    }

    /// Heka's documented example: the `combined` log_format with the user agent transformed.
    @Test func hekaExampleWithUserAgentTransform() throws {
        let decoder = try Self.decoder("""
            message_type = "combined"
            user_agent_transform = true
            log_format = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"'
            """)
        let line = #"62.195.113.219 - - [10/Jan/2014:07:04:56 -0800] "GET /v1/recovery_email/status HTTP/1.1" 200 82 "-" "Mozilla/5.0 (Mobile; rv:29.0) Gecko/29.0 Firefox/29.0" "-""#
        let message = try DecoderFixture.decodeOne(decoder, line)
        #expect(message.type == "combined")
        #expect(message.timestamp == DecoderFixture.utc(2014, 1, 10, 15, 4, 56))
        #expect(message.fields == [
            .string("remote_addr", "62.195.113.219", representation: "ipv4"),
            .string("request", "GET /v1/recovery_email/status HTTP/1.1"),
            .string("request_method", "GET"), .string("request_uri", "/v1/recovery_email/status"),
            .string("server_protocol", "HTTP/1.1"),
            .integer("status", 200), .integer("body_bytes_sent", 82, representation: "B"),
            .string("user_agent_browser", "Firefox"), .integer("user_agent_version", 29), .string("user_agent_os", "FirefoxOS"),
        ], "'-' values add nothing; the agent is replaced by its summary")
    }

    @Test func userAgentKeepAndConditional() throws {
        let agentLine = { (agent: String) in
            #"1.2.3.4 - - [10/Jan/2014:07:04:56 +0000] "GET / HTTP/1.1" 200 1 "-" "\#(agent)""#
        }
        let keep = try Self.decoder("user_agent_transform = true\nuser_agent_keep = true\n")
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
        let kept = try DecoderFixture.decodeOne(keep, agentLine(chrome))
        #expect(kept.string("http_user_agent") == chrome)
        #expect(kept.string("user_agent_browser") == "Chrome")
        #expect(kept.value("user_agent_version") == .integer([120]))
        #expect(kept.string("user_agent_os") == "Windows 10")
        let conditional = try Self.decoder("user_agent_transform = true\nuser_agent_conditional = true\n")
        #expect(try DecoderFixture.decodeOne(conditional, agentLine("curl/8.4.0")).string("http_user_agent") == "curl/8.4.0",
                "kept when no browser is recognised")
        #expect(try DecoderFixture.decodeOne(conditional, agentLine(chrome)).string("http_user_agent") == nil)
    }

    @Test func extendedFormatWithTimingsAndUpstreams() throws {
        let decoder = try Self.decoder("""
            log_format = '$remote_addr [$time_iso8601] "$request" $status $bytes_sent $request_length $request_time "$upstream_addr" $upstream_status $upstream_response_time $upstream_response_length $connection $pipe $host'
            """)
        let line = #"2001:db8::1 [2024-03-01T12:00:00+01:00] "POST /checkout HTTP/2.0" 502 1200 830 0.250 "10.0.0.1:8080, 10.0.0.2:8080 : 10.0.0.3:8080" 502, 504 : 200 0.001, - : 0.249 0, 0 : 512 7781 p shop.example"#
        let message = try DecoderFixture.decodeOne(decoder, line)
        #expect(message.timestamp == DecoderFixture.utc(2024, 3, 1, 11))
        #expect(message.field(named: "remote_addr")?.representation == "ipv6")
        #expect(message.value("status") == .integer([502]))
        #expect(message.field(named: "bytes_sent") == .integer("bytes_sent", 1200, representation: "B"))
        #expect(message.field(named: "request_length") == .integer("request_length", 830, representation: "B"))
        #expect(message.field(named: "request_time") == .double("request_time", 0.25, representation: "s"))
        #expect(message.value("upstream_addr") == .string(["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"]))
        #expect(message.value("upstream_status") == .integer([502, 504, 200]))
        #expect(message.field(named: "upstream_response_time") == Field(name: "upstream_response_time", representation: "s",
                                                                           values: .double([0.001, 0, 0.249])))
        #expect(message.field(named: "upstream_response_length")?.values == .integer([0, 0, 512]))
        #expect(message.value("connection") == .integer([7781]))
        #expect(message.string("pipe") == "p")
        #expect(message.field(named: "host") == .string("host", "shop.example", representation: "hostname"))
    }

    @Test func msecSetsTheTimestampAndEscapedQuotesStayInTheValue() throws {
        let decoder = try Self.decoder(#"log_format = '$msec "$http_user_agent" ${status}'"#)
        let message = try DecoderFixture.decodeOne(decoder, #"1700000000.123 "say \"hi\"" 404"#)
        #expect(message.timestamp == 1_700_000_000_123_000_000)
        #expect(message.string("http_user_agent") == #"say \"hi\""#)
        #expect(message.value("status") == .integer([404]))
    }

    @Test func requestSplitCanBeTurnedOffAndIsSkippedWhenTheFormatLogsTheParts() throws {
        let off = try Self.decoder("split_request = false\n")
        #expect(try DecoderFixture.decodeOne(off, Self.combinedLine).string("request_method") == nil)
        let own = try Self.decoder(#"log_format = '$request_method "$request"'"#)
        let message = try DecoderFixture.decodeOne(own, #"GET "GET / HTTP/1.1""#)
        #expect(message.fieldNames == ["request_method", "request"])
        let odd = try DecoderFixture.decodeOne(try Self.decoder(), #"1.2.3.4 - - [10/Oct/2023:13:55:36 -0700] "\x16\x03\x01" 400 0 "-" "-""#)
        #expect(odd.string("request") == #"\x16\x03\x01"#)
        #expect(odd.string("request_method") == nil, "a request that is not METHOD URI PROTOCOL is only kept whole")
    }

    @Test func payloadKeep() throws {
        let decoder = try Self.decoder("payload_keep = true\n")
        #expect(try DecoderFixture.decodeOne(decoder, Self.combinedLine).payload?.string == Self.combinedLine)
    }

    @Test func linesThatDoNotFitFailWithTheColumn() throws {
        let decoder = try Self.decoder()
        let cases: [(String, String)] = [
            (#"1.2.3.4 - - [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 2x0 1 "-" "-""#, "column 59: $status '2x0' is not an integer"),
            (#"1.2.3.4 - - 10/Oct/2023:13:55:36 -0700 "GET / HTTP/1.1" 200 1 "-" "-""#, "column 13: expected '['"),
            (#"1.2.3.4 - - [10/Foo/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-""#, "column 14: $time_local"),
            (#"1.2.3.4 - - [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-" extra"#, "column 72: unexpected text after the last field: ' extra'"),
            (#"1.2.3.4 - - [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200"#, "column 62: expected a space"),
            ("", "column 1: expected a space"),
        ]
        for (line, expected) in cases {
            let reason = try #require(DecoderFixture.failure(decoder, line))
            #expect(reason.contains(expected), "\(reason)")
            #expect(reason.hasPrefix("line does not fit log_format at column"))
        }
    }

    @Test func hostileInputNeverCrashes() throws {
        let decoder = try Self.decoder()
        for payload in DecoderFixture.hostilePayloads {
            let reason = DecoderFixture.failure(decoder, payload)
            #expect(reason?.hasPrefix("line does not fit log_format at column") == true, "\(reason ?? "decoded")")
        }
        var line = Array(Self.combinedLine.utf8)
        line.replaceSubrange(0..<0, with: [0xFF, 0x00])
        #expect(DecoderFixture.failure(decoder, line) == nil, "invalid UTF-8 and NUL bytes in a string value are carried")
        let longAgent = String(repeating: "A", count: 1 << 20)
        let long = try DecoderFixture.decodeOne(decoder, Self.combinedLine.replacing("curl/8.4.0", with: longAgent))
        #expect(long.string("http_user_agent")?.utf8.count == 1 << 20)
    }

    @Test func everyTruncationOfALineFailsCleanly() throws {
        let decoder = try Self.decoder()
        let bytes = Array(Self.combinedLine.utf8)
        for length in 0..<bytes.count {
            #expect(DecoderFixture.failure(decoder, Array(bytes[0..<length])) != nil, "\(length) bytes")
        }
    }

    @Test func formatErrorsAreReportedAtBuildTime() {
        func errors(_ format: String) -> [String] {
            DecoderFixture.errors("[decoder]\ntype = \"NginxAccessDecoder\"\nlog_format = '\(format)'\n")
        }
        #expect(errors("just text").first?.contains("has no $variable") == true)
        #expect(errors("${status").first?.contains("not closed") == true)
        #expect(errors("").first?.contains("option 'log_format' in [decoder]") == true)
    }
}
