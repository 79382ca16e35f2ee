import RunnelCore
@testable import RunnelPlugins
import Testing

@Suite struct PayloadRegexDecoderTests {
    static let apacheLine = #"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)""#

    /// The shape of Heka's documented Apache example: a Timestamp capture read with a Go layout,
    /// message_fields with %capture% values and a `|B` representation, header entries.
    static let apacheConfig = #"""
        [decoder]
        type = "PayloadRegexDecoder"
        match_regex = '^(?P<RemoteIP>\S+) \S+ (?P<User>\S+) \[(?P<Timestamp>[^\]]+)\] "(?P<Method>[A-Z]+) (?P<Url>\S+)[^"]*" (?P<StatusCode>\d{3}) (?P<RequestSize>\d+) "(?P<Referer>[^"]*)" "(?P<Browser>[^"]*)"'
        timestamp_layout = "02/Jan/2006:15:04:05 -0700"

        [decoder.severity_map]
        DEBUG = 7
        WARNING = 4

        [decoder.message_fields]
        Type = "ApacheLogfile"
        Logger = "apache"
        "Url|uri" = "%Url%"
        Method = "%Method%"
        Status = "%StatusCode%"
        "RequestSize|B" = "%RequestSize%"
        Summary = "%Method% %Url% by %User% -> %Nope%"
        """#

    @Test func hekaApacheExampleDecodes() throws {
        let decoder = try DecoderFixture.decoder(Self.apacheConfig)
        let message = try DecoderFixture.decodeOne(decoder, Self.apacheLine)
        #expect(message.timestamp == DecoderFixture.utc(2000, 10, 10, 20, 55, 36))
        #expect(message.type == "ApacheLogfile")
        #expect(message.logger == "apache")
        #expect(message.hostname == "test-host")
        #expect(message.payload?.string == Self.apacheLine, "the payload stays the record")
        #expect(message.fieldNames == ["Url", "Method", "Status", "RequestSize", "Summary"])
        #expect(message.field(named: "Url")?.representation == "uri")
        #expect(message.field(named: "RequestSize") == .string("RequestSize", "2326", representation: "B"))
        #expect(message.string("Status") == "200")
        #expect(message.string("Summary") == "GET /apache_pb.gif by frank -> <Nope>", "unknown names read <name>, as in Heka")
    }

    @Test func withoutMessageFieldsNamedCapturesBecomeFieldsAndHeaderNamesSetTheHeader() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Hostname>\S+) (?P<Logger>\w+)\[(?P<Pid>\d+)\]: <(?P<Severity>\w+)> (?P<Payload>.*?) id=(?P<Uuid>[0-9a-f-]{36}) (\d+) (?P<Env>v\d)$'
            """#)
        let message = try DecoderFixture.decodeOne(decoder,
            "web-3 nginx[812]: <WARNING> upstream slow id=6ba7b810-9dad-41d1-80b4-00c04fd430c8 77 v2")
        #expect(message.hostname == "web-3")
        #expect(message.logger == "nginx")
        #expect(message.pid == 812)
        #expect(message.severity == 4, "level names are understood without a severity_map")
        #expect(message.payload == "upstream slow")
        #expect(message.uuid == MessageUUID(string: "6ba7b810-9dad-41d1-80b4-00c04fd430c8"))
        #expect(message.fields == [.string("Env", "v2")], "only named, non-header captures become fields")
        #expect(message.type == "stdin", "untouched header values stay")
    }

    @Test func severityMapThenIntegersThenLevelNames() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Severity>\S+)'
            [decoder.severity_map]
            SEVERE = 1
            error = 5
            """#)
        for (text, expected) in [("SEVERE", 1), ("error", 5), ("3", 3), ("ERROR", 3), ("Notice", 5), ("debug", 7)] {
            #expect(try DecoderFixture.decodeOne(decoder, text).severity == Int32(expected), "\(text)")
        }
        let reason = try #require(DecoderFixture.failure(decoder, "LOUD"))
        #expect(reason.contains("Severity 'LOUD'"))
        #expect(DecoderFixture.failure(decoder, "99999999999") != nil, "out of Int32 range")
    }

    @Test func unnamedGroupsAndIncomingFieldsInterpolate() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(\w+)-(\w+)(?:-(?P<opt>\w+))?$'
            [decoder.message_fields]
            Joined = "%2%/%1%"
            FromInput = "[%truncated%]"
            Optional = "(%opt%)"
            Type = "%1%.log"
            """#)
        var record = DecoderFixture.record("left-right")
        record.addField(.bool("truncated", true))
        let message = try #require(try decoder.decode(record).first)
        #expect(message.string("Joined") == "right/left")
        #expect(message.string("FromInput") == "[true]", "a name that is no capture reads the incoming message's field")
        #expect(message.string("Optional") == "()", "a group that took no part reads as empty")
        #expect(message.type == "left.log")
    }

    @Test func headerNameWithRepresentationIsAField() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<body>.*)$'
            [decoder.message_fields]
            "Payload|json" = "%body%"
            """#)
        let message = try DecoderFixture.decodeOne(decoder, #"{"a":1}"#)
        #expect(message.field(named: "Payload") == .string("Payload", #"{"a":1}"#, representation: "json"))
        #expect(message.payload?.string == #"{"a":1}"#)
    }

    @Test func noMatchIsAFailureNamingTheRegex() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<n>\d+)$'
            """#)
        let reason = try #require(DecoderFixture.failure(decoder, "abc\u{1}"))
        #expect(reason.contains("does not match match_regex"))
        #expect(reason.contains(#"abc\x01"#), "control bytes are shown escaped")
    }

    @Test func epochLayouts() throws {
        for (layout, text, expected) in [("Epoch", "1700000000.25", Int64(1_700_000_000_250_000_000)),
                                         ("EpochMilli", "1700000000123", 1_700_000_000_123_000_000),
                                         ("EpochMicro", "1700000000123456", 1_700_000_000_123_456_000),
                                         ("EpochNano", "1700000000123456789", 1_700_000_000_123_456_789)] {
            let decoder = try DecoderFixture.decoder("""
                [decoder]
                type = "PayloadRegexDecoder"
                match_regex = '^(?P<Timestamp>\\S+)'
                timestamp_layout = "\(layout)"
                """)
            #expect(try DecoderFixture.decodeOne(decoder, text).timestamp == expected, "\(layout)")
            #expect(DecoderFixture.failure(decoder, "12x") != nil)
        }
    }

    @Test func timestampLocationAppliesWhenTheTextHasNoOffset() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Timestamp>.+)$'
            timestamp_layout = "2006-01-02 15:04:05"
            timestamp_location = "America/Los_Angeles"
            """#)
        #expect(try DecoderFixture.decodeOne(decoder, "2014-01-10 07:04:56").timestamp == DecoderFixture.utc(2014, 1, 10, 15, 4, 56))
        #expect(try DecoderFixture.decodeOne(decoder, "2014-07-10 07:04:56").timestamp == DecoderFixture.utc(2014, 7, 10, 14, 4, 56),
                "daylight saving time")
        let withOffset = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Timestamp>.+)$'
            timestamp_layout = "2006-01-02 15:04:05 -0700"
            timestamp_location = "America/Los_Angeles"
            """#)
        #expect(try DecoderFixture.decodeOne(withOffset, "2014-01-10 07:04:56 +0100").timestamp == DecoderFixture.utc(2014, 1, 10, 6, 4, 56))
    }

    @Test func standardLayoutsAreTriedWithoutALayout() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Timestamp>.+)$'
            """#)
        #expect(try DecoderFixture.decodeOne(decoder, "2015-05-06T20:40:05.5Z").timestamp == DecoderFixture.utc(2015, 5, 6, 20, 40, 5) + 500_000_000)
        #expect(try DecoderFixture.decodeOne(decoder, "Mon, 02 Jan 2006 15:04:05 -0700").timestamp == DecoderFixture.utc(2006, 1, 2, 22, 4, 5))
        let reason = try #require(DecoderFixture.failure(decoder, "yesterday at noon"))
        #expect(reason.contains("Timestamp 'yesterday at noon' does not fit"))
    }

    @Test func aStampWithoutAYearTakesTheCurrentOneOrTheLastWhenThatIsAhead() throws {
        let now = DecoderFixture.utc(2024, 1, 1, 0, 30)
        let regex = try RegexPattern("^(?P<Timestamp>.+)$")
        let decoder = PayloadRegexDecoder(
            regex: regex, template: try MessageFieldsTemplate(table: nil, optionKey: "message_fields", interpolates: true),
            severities: SeverityReader(), timestamps: try TimestampReader(layout: "Jan _2 15:04:05", location: "UTC"),
            clock: { now })
        #expect(try DecoderFixture.decodeOne(decoder, "Jan  1 00:10:00").timestamp == DecoderFixture.utc(2024, 1, 1, 0, 10))
        #expect(try DecoderFixture.decodeOne(decoder, "Dec 31 23:59:00").timestamp == DecoderFixture.utc(2023, 12, 31, 23, 59))
        let timeOnly = PayloadRegexDecoder(
            regex: regex, template: try MessageFieldsTemplate(table: nil, optionKey: "message_fields", interpolates: true),
            severities: SeverityReader(), timestamps: try TimestampReader(layout: "15:04:05", location: "UTC"),
            clock: { now })
        #expect(try DecoderFixture.decodeOne(timeOnly, "07:00:01").timestamp == DecoderFixture.utc(2024, 1, 1, 7, 0, 1))
    }

    @Test func convertedHeaderValuesThatDoNotConvertFail() throws {
        let decoder = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<key>\w+)=(?P<value>.*)$'
            [decoder.message_fields]
            Pid = "%value%"
            """#)
        #expect(try DecoderFixture.decodeOne(decoder, "pid=42.0").pid == 42, "a fraction is ignored, as in Heka")
        #expect(DecoderFixture.failure(decoder, "pid=forty")?.contains("Pid 'forty'") == true)
        let uuid = try DecoderFixture.decoder(#"""
            [decoder]
            type = "PayloadRegexDecoder"
            match_regex = '^(?P<Uuid>.*)$'
            """#)
        #expect(DecoderFixture.failure(uuid, "not-a-uuid")?.contains("Uuid") == true)
    }

    @Test func optionErrorsAreReportedAtBuildTime() {
        func errors(_ options: String) -> [String] {
            DecoderFixture.errors("[decoder]\ntype = \"PayloadRegexDecoder\"\n" + options)
        }
        #expect(errors("match_regex = '(?P<a>'").first?.contains("option 'match_regex' in [decoder]") == true)
        #expect(errors("match_regex = '(?P<a>'").first?.contains("at offset") == true)
        #expect(errors("match_regex = 'abc'").first?.contains("must contain capture groups") == true)
        #expect(errors("match_regex = '(a)'\ntimestamp_layout = 'yesterday'").first?.contains("no date or time element") == true)
        #expect(errors("match_regex = '(a)'\ntimestamp_location = 'Mars/Olympus'").first?.contains("unknown time zone") == true)
        #expect(errors("match_regex = '(a)'\n[decoder.severity_map]\nHIGH = 'x'").first?.contains("severity_map.HIGH") == true)
        #expect(errors("match_regex = '(a)'\n[decoder.message_fields]\nCount = 3").first?.contains("message_fields.Count") == true)
        #expect(errors("match_regex = '(a)'\nmessage_fields = 'Type'").first?.contains("must be a table") == true)
    }

    @Test func logErrorsIsAcceptedWithAWarning() {
        let loaded = DecoderFixture.load("[decoder]\ntype = \"PayloadRegexDecoder\"\nmatch_regex = '(a)'\nlog_errors = false\n")
        #expect(loaded.config != nil)
        #expect(loaded.diagnostics.contains { $0.severity == .warning && $0.message.contains("log_errors") })
    }

    @Test func hostileInputNeverCrashes() throws {
        let decoder = try DecoderFixture.decoder(Self.apacheConfig)
        for payload in DecoderFixture.hostilePayloads {
            let reason = DecoderFixture.failure(decoder, payload)
            #expect(reason?.contains("does not match") == true)
            #expect((reason?.utf8.count ?? 0) < 300 + decoder.describedPatternLength, "the reason quotes only the start of the payload")
        }
        let any = try DecoderFixture.decoder("[decoder]\ntype = \"PayloadRegexDecoder\"\nmatch_regex = '^(?P<all>.*)$'\n")
        let withNUL: [UInt8] = [0x61, 0x00, 0x62]
        let message = try #require(try any.decode(DecoderFixture.record(withNUL)).first)
        #expect(message.field(named: "all")?.values == .string([ByteString(withNUL)]), "NUL bytes are carried as they are")
        // PCRE2 runs in UTF mode, where no pattern matches across invalid UTF-8: a clear failure.
        #expect(DecoderFixture.failure(any, [0x61, 0xFF, 0x62])?.contains(#"a\xffb"#) == true)
    }
}

extension Decoder {
    /// The length of the regex a PayloadRegexDecoder quotes in its failures.
    var describedPatternLength: Int { (self as? PayloadRegexDecoder)?.regex.pattern.utf8.count ?? 0 }
}
