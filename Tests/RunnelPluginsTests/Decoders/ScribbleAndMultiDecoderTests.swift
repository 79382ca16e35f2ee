import RunnelCore
@testable import RunnelPlugins
import Testing

@Suite struct ScribbleDecoderTests {
    @Test func setsHeaderValuesAndFieldsOnEveryMessage() throws {
        let decoder = try DecoderFixture.decoder("""
            [decoder]
            type = "ScribbleDecoder"
            [decoder.message_fields]
            Type = "MyType"
            Severity = "warning"
            Pid = "42"
            "host|ipv4" = "192.168.55.55"
            truncated = "replaced"
            "Payload|json" = "{}"
            """)
        var record = DecoderFixture.record("keep me")
        record.addField(.bool("truncated", true))
        let message = try #require(try decoder.decode(record).first)
        #expect(message.type == "MyType")
        #expect(message.severity == 4)
        #expect(message.pid == 42)
        #expect(message.payload == "keep me", "a header name with a representation is a field")
        #expect(message.fields == [.string("truncated", "replaced"), .string("host", "192.168.55.55", representation: "ipv4"),
                                   .string("Payload", "{}", representation: "json")],
                "an existing field is replaced, new ones follow in order")
    }

    @Test func valuesAreCheckedAtBuildTime() {
        func errors(_ entry: String) -> [String] {
            DecoderFixture.errors("[decoder]\ntype = \"ScribbleDecoder\"\n[decoder.message_fields]\n" + entry + "\n")
        }
        #expect(errors("Pid = \"many\"").first?.contains("message_fields.Pid") == true)
        #expect(errors("Severity = \"loudest\"").first?.contains("Severity 'loudest'") == true)
        #expect(errors("Uuid = \"6ba7b810-9dad-41d1-80b4-00c04fd430c8\"").first?.contains("cannot set Uuid") == true)
        #expect(errors("Timestamp = \"now\"").first?.contains("cannot set Timestamp") == true)
        #expect(DecoderFixture.errors("[decoder]\ntype = \"ScribbleDecoder\"\n").first?.contains("message_fields") == true,
                "the table is required")
    }
}

@Suite struct MultiDecoderTests {
    static let sections = #"""
        [json]
        type = "JsonDecoder"
        [nginx]
        type = "NginxAccessDecoder"
        [tag]
        type = "ScribbleDecoder"
        [tag.message_fields]
        Logger = "tagged"
        """#

    static let nginxLine = #"1.2.3.4 - - [10/Oct/2023:13:55:36 -0700] "GET / HTTP/1.1" 200 17 "-" "curl/8""#

    @Test func firstWinsStopsAtTheFirstSubThatDecodes() throws {
        let decoder = try DecoderFixture.decoder(Self.sections + """

            [decoder]
            type = "MultiDecoder"
            subs = ["json", "nginx"]
            """)
        #expect(try DecoderFixture.decodeOne(decoder, #"{"a":1}"#).fields == [.integer("a", 1)])
        let nginx = try DecoderFixture.decodeOne(decoder, Self.nginxLine)
        #expect(nginx.type == "nginx.access")
        #expect(nginx.value("status") == .integer([200]))
        let reason = try #require(DecoderFixture.failure(decoder, "garbage"))
        #expect(reason.hasPrefix("no sub-decoder could decode the record (last, 'nginx': line does not fit"))
        #expect(!reason.contains("'json'"), "without log_sub_errors only the last reason is given")
    }

    @Test func logSubErrorsNamesEverySubsReason() throws {
        let decoder = try DecoderFixture.decoder(Self.sections + """

            [decoder]
            type = "MultiDecoder"
            subs = ["json", "nginx"]
            log_sub_errors = true
            """)
        let reason = try #require(DecoderFixture.failure(decoder, "garbage"))
        #expect(reason.contains("'json': invalid JSON at byte 0"))
        #expect(reason.contains("'nginx': line does not fit log_format at column"))
    }

    /// Heka's documented example: protobuf messages carrying nginx lines, decoded by a chain.
    @Test func allChainsTheSubsOverWhatEachProduced() throws {
        let decoder = try DecoderFixture.decoder(Self.sections + """

            [decoder]
            type = "MultiDecoder"
            subs = ["ProtobufDecoder", "nginx", "tag"]
            cascade_strategy = "all"
            """)
        let shipped = Message(uuid: MessageUUID(high: 3, low: 4), timestamp: 5, type: "shipped", logger: "edge-1",
                              payload: ByteString(Self.nginxLine), hostname: "edge-1.example")
        let record = DecoderFixture.record(MessageProtobuf.encode(shipped))
        let message = try #require(try decoder.decode(record).first)
        #expect(message.uuid == shipped.uuid && message.hostname == "edge-1.example")
        #expect(message.type == "nginx.access")
        #expect(message.logger == "tagged")
        #expect(message.timestamp == DecoderFixture.utc(2023, 10, 10, 20, 55, 36))
        #expect(message.value("body_bytes_sent") == .integer([17]))

        let plainLine = try #require(try decoder.decode(DecoderFixture.record(Self.nginxLine)).first)
        #expect(plainLine.value("status") == .integer([200]), "a sub that fails passes the message on unchanged")
        #expect(plainLine.logger == "tagged")
    }

    @Test func allFailsOnlyWhenNoSubDecoded() throws {
        let decoder = MultiDecoder(subs: [("json", try DecoderFixture.decoder("[decoder]\ntype = \"JsonDecoder\"\n")),
                                          ("nginx", try DecoderFixture.decoder("[decoder]\ntype = \"NginxAccessDecoder\"\n"))],
                                   strategy: .all, logSubErrors: true)
        let reason = try #require(DecoderFixture.failure(decoder, "neither"))
        #expect(reason.contains("'json'") && reason.contains("'nginx'"))
    }

    @Test func subsAreBuiltFirstWhateverTheirOrderInTheFile() throws {
        let decoder = try DecoderFixture.decoder("""
            [decoder]
            type = "MultiDecoder"
            subs = ["inner", "json"]

            [inner]
            type = "MultiDecoder"
            subs = ["nginx"]

            [nginx]
            type = "NginxAccessDecoder"

            [json]
            type = "JsonDecoder"
            """)
        #expect(try DecoderFixture.decodeOne(decoder, Self.nginxLine).type == "nginx.access")
    }

    @Test func cyclesAndBadSubsAreBuildErrors() {
        let cycle = DecoderFixture.errors("""
            [decoder]
            type = "MultiDecoder"
            subs = ["other"]
            [other]
            type = "MultiDecoder"
            subs = ["decoder"]
            """)
        #expect(cycle.count == 1)
        #expect(cycle.first?.contains("decoders name each other in a cycle: decoder → other → decoder") == true)
        let broken = DecoderFixture.errors("""
            [decoder]
            type = "MultiDecoder"
            subs = ["bad"]
            [bad]
            type = "PayloadRegexDecoder"
            match_regex = "(unclosed"
            """)
        #expect(broken.count == 1, "the sub's own error, not a second one for the MultiDecoder: \(broken)")
        #expect(broken.first?.contains("[bad]") == true)
        #expect(DecoderFixture.errors("[decoder]\ntype = \"MultiDecoder\"\nsubs = []\n").first?.contains("at least one") == true)
        #expect(DecoderFixture.errors("[decoder]\ntype = \"MultiDecoder\"\nsubs = [\"nowhere\"]\n").isEmpty == false)
        #expect(DecoderFixture.errors("[decoder]\ntype = \"MultiDecoder\"\nsubs = [\"json\"]\ncascade_strategy = \"some\"\n[json]\ntype = \"JsonDecoder\"\n")
            .isEmpty == false)
    }
}

@Suite struct DecoderConfigurationTests {
    /// A plugins.toml using every decoder and splitter of this area loads and builds.
    @Test func aConfigurationUsingTheseDecodersBuilds() throws {
        let result = DecoderFixture.build(#"""
            [runnel]
            max_message_size = "1MiB"

            [access_logs]
            type = "LogstreamerInput"
            log_directory = "/var/log/nginx"
            file_match = 'access\.log'
            decoder = "nginx_or_json"

            [slow_queries]
            type = "LogstreamerInput"
            log_directory = "/var/log/mysql"
            file_match = 'slow\.log'
            splitter = "mysql_splitter"
            decoder = "slow_query"

            [stdin]
            type = "StdinInput"
            decoder = "shipped"

            [mysql_splitter]
            type = "RegexSplitter"
            delimiter = '\n(# User@Host:)'
            delimiter_eol = false

            [slow_query]
            type = "PayloadRegexDecoder"
            match_regex = '^# User@Host: (?P<User>\S+).*?Query_time: (?P<QueryTime>[\d.]+)'
            [slow_query.message_fields]
            Type = "mysql.slow"
            "QueryTime|s" = "%QueryTime%"

            [nginx]
            type = "NginxAccessDecoder"
            log_format = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time'
            user_agent_transform = true

            [json]
            type = "JsonDecoder"
            timestamp_field = "time"
            severity_field = "level"

            [nginx_or_json]
            type = "MultiDecoder"
            subs = ["json", "nginx"]

            [shipped]
            type = "MultiDecoder"
            subs = ["ProtobufDecoder", "stamp"]
            cascade_strategy = "all"

            [stamp]
            type = "ScribbleDecoder"
            [stamp.message_fields]
            Logger = "shipped"

            [out]
            type = "LogOutput"
            message_matcher = "TRUE"
            """#)
        #expect(result.errors == [])
        let plan = try #require(result.plan)
        #expect(plan.inputs.count == 3)
        #expect(plan.inputs.allSatisfy { $0.decoder != nil })
        var splitter = try #require(plan.inputs.first { $0.config.name == "slow_queries" }).splitter(0)
        splitter.append(Array("x\n# User@Host: a".utf8)[...])
        #expect(splitter.next().map { String(decoding: $0.content, as: UTF8.self) } == "x")
    }
}
