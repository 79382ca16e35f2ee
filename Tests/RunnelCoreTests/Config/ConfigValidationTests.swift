import Testing
@testable import RunnelCore

@Suite struct ConfigValidationTests {
    /// `lines` blank lines, so the next line written is `lines + 1`.
    private func padding(_ lines: Int) -> String { String(repeating: "\n", count: lines) }

    @Test func unknownOptionNamesFileLineAndClosestOption() throws {
        let text = padding(38) + """
        [es]
        type = "ElasticSearchOutput"
        flush_cont = 100
        message_matcher = "TRUE"
        """
        let result = TestCatalog.load(text)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.description == "error: unknown option 'flush_cont' in [es] (plugins.toml:41); did you mean 'flush_count'?")
        #expect(error.message == "unknown option 'flush_cont' in [es] (plugins.toml:41)")
        #expect(error.suggestion == "did you mean 'flush_count'?")
        #expect((error.file, error.line, error.column, error.section, error.key) == ("plugins.toml", 41, 1, "es", "flush_cont"))
        #expect(result.config == nil)
        #expect(result.exitStatus == 78)
    }

    @Test func wrongValueTypeNamesExpectedAndFound() throws {
        let text = padding(38) + """
        [es]
        type = "ElasticSearchOutput"
        flush_count = "100"
        message_matcher = "TRUE"
        """
        let error = try #require(TestCatalog.load(text).errors.first)
        #expect(error.message == "option 'flush_count' in [es] (plugins.toml:41) must be an integer, found a string")
        #expect((error.line, error.column, error.key) == (41, 15, "flush_count"))
    }

    @Test func missingRequiredOptionPointsAtTheSection() throws {
        let result = TestCatalog.load("""
        [out]
        type = "FileOutput"
        message_matcher = "TRUE"
        """)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.message == "missing required option 'path' in [out] (plugins.toml:1)")
        #expect((error.line, error.column, error.section, error.key) == (1, 1, "out", "path"))
    }

    @Test func filtersAndOutputsRequireAMessageMatcher() {
        let result = TestCatalog.load("""
        [CounterFilter]
        [out]
        type = "FileOutput"
        path = "/tmp/x"
        """)
        #expect(result.errors.map(\.message) == [
            "missing required option 'message_matcher' in [CounterFilter] (plugins.toml:1)",
            "missing required option 'message_matcher' in [out] (plugins.toml:2)",
        ])
    }

    @Test func valueOutsideTheAllowedChoices() throws {
        let result = TestCatalog.load("""
        [out]
        type = "FileOutput"
        path = "/tmp/x"
        message_matcher = "TRUE"
        use_buffering = true
          [out.buffering]
          full_action = "blok"
        """)
        let error = try #require(result.errors.first)
        #expect(error.message == "option 'full_action' in [out.buffering] (plugins.toml:7) must be one of 'block', 'drop', 'shutdown', found 'blok'")
        #expect(error.suggestion == "did you mean 'block'?")
        #expect((error.line, error.column, error.key) == (7, 17, "buffering.full_action"))
    }

    @Test func unknownOptionInASubTable() throws {
        let error = try #require(TestCatalog.load("""
        [out]
        type = "FileOutput"
        path = "/tmp/x"
        message_matcher = "TRUE"
        [out.retries]
        max_retrys = 3
        """).errors.first)
        #expect(error.description == "error: unknown option 'max_retrys' in [out.retries] (plugins.toml:6); did you mean 'max_retries'?")
        #expect(error.key == "retries.max_retrys")
    }

    @Test func unknownTypeSuggestsTheClosestKnownType() throws {
        let error = try #require(TestCatalog.load("""
        [sink]
        type = "FooOutput"
        message_matcher = "TRUE"
        """).errors.first)
        #expect(error.description == "error: [sink] (plugins.toml:2): unknown plugin type 'FooOutput'; did you mean 'FileOutput'?")
        #expect((error.line, error.column, error.key) == (2, 8, "type"))
    }

    @Test func hekaTypeRunnelLacksIsNamedAsSuch() throws {
        let error = try #require(TestCatalog.load("""
        [AcmeHTTPStatus]
        type = "SandboxFilter"
        filename = "lua_filters/http_status.lua"
        message_matcher = "TRUE"
        """).errors.first)
        #expect(error.message == "[AcmeHTTPStatus] (plugins.toml:2): type 'SandboxFilter' is a Heka plugin that Runnel does not implement")
        #expect(error.suggestion == "Runnel has no Lua sandbox; its plugins are built in")
    }

    @Test func typeDefaultsToTheSectionName() throws {
        let result = TestCatalog.load("""
        [StatAccumInput]
        [FileOutput]
        path = "/tmp/x"
        message_matcher = "TRUE"
        """)
        #expect(result.errors.map(\.message) == [
            "[StatAccumInput] (plugins.toml:1): type 'StatAccumInput' is a Heka plugin that Runnel does not implement",
        ])
    }

    @Test func typeWithoutACategorySuffix() {
        let result = TestCatalog.load("""
        [nginx]
        log_directory = "/var/log"
        [other]
        type = "FileOutputt"
        """)
        #expect(result.errors.map(\.description) == [
            "error: [nginx] (plugins.toml:1): the section has no 'type' and its name is not a plugin type; plugin types end in Input, Splitter, Decoder, Filter, Encoder or Output",
            "error: [other] (plugins.toml:4): type 'FileOutputt' is not a plugin type; plugin types end in Input, Splitter, Decoder, Filter, Encoder or Output; did you mean 'FileOutput'?",
        ])
    }

    @Test func typeMustBeAString() {
        let result = TestCatalog.load("[x]\ntype = 5\n")
        #expect(result.errors.map(\.message) == ["option 'type' in [x] (plugins.toml:2) must be a string, found an integer"])
    }

    @Test func everyErrorIsReportedAtOnceInFileOrder() {
        let result = TestCatalog.load("""
        [runnel]
        max_mesage_size = 100

        [in]
        type = "TcpInput"
        decoder = "missing_decoder"

        [out]
        type = "FileOutput"
        message_matcher = "TRUE"
        flush_count = true
        encoder = "PayloadEncoder"

        [lua]
        type = "SandboxDecoder"
        """)
        #expect(result.errors.map(\.description) == [
            "error: unknown option 'max_mesage_size' in [runnel] (plugins.toml:2); did you mean 'max_message_size'?",
            "error: missing required option 'address' in [in] (plugins.toml:4)",
            "error: option 'decoder' in [in] (plugins.toml:6) names 'missing_decoder', which is not a defined decoder",
            "error: missing required option 'path' in [out] (plugins.toml:8)",
            "error: option 'flush_count' in [out] (plugins.toml:11) must be an integer, found a boolean",
            "error: option 'encoder' in [out] (plugins.toml:12) names the type 'PayloadEncoder', which needs a section of its own: add [PayloadEncoder]",
            "error: [lua] (plugins.toml:15): type 'SandboxDecoder' is a Heka plugin that Runnel does not implement; Runnel has no Lua sandbox; its plugins are built in",
        ])
        #expect(result.config == nil)
    }

    @Test func referencesResolveToSectionsOrImplicitTypes() {
        let result = TestCatalog.load("""
        [in]
        type = "TcpInput"
        address = ":5565"
        decoder = "ProtobufDecoder"
        splitter = "TokenSplitter"

        [in2]
        type = "TcpInput"
        address = ":5566"
        decoder = "multi"

        [multi]
        type = "MultiDecoder"
        subs = ["ProtobufDecoder", "pb2"]

        [pb2]
        type = "ProtobufDecoder"

        [out]
        type = "FileOutput"
        path = "/tmp/x"
        message_matcher = "TRUE"
        encoder = "ProtobufEncoder"
        """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.config?.plugins.map(\.name) == ["in", "in2", "multi", "pb2", "out"])
    }

    @Test func referenceProblems() {
        let result = TestCatalog.load("""
        [in]
        type = "TcpInput"
        address = ":5565"
        decoder = "mutli"
        splitter = "out"

        [multi]
        type = "MultiDecoder"
        subs = ["ProtobufDecoder", "HekaFramingSplitter", "PayloadRegexDecoder"]

        [out]
        type = "FileOutput"
        path = "/tmp/x"
        message_matcher = "TRUE"
        encoder = "ProtobufEncodr"
        """)
        #expect(result.errors.map(\.description) == [
            "error: option 'decoder' in [in] (plugins.toml:4) names 'mutli', which is not a defined decoder; did you mean 'multi'?",
            "error: option 'splitter' in [in] (plugins.toml:5) names [out], which is an output, not a splitter",
            "error: option 'subs' in [multi] (plugins.toml:9) names 'HekaFramingSplitter', a Heka plugin that Runnel does not implement",
            "error: option 'subs' in [multi] (plugins.toml:9) names 'PayloadRegexDecoder', a Heka plugin that Runnel does not implement",
            "error: option 'encoder' in [out] (plugins.toml:15) names 'ProtobufEncodr', which is not a defined encoder; did you mean 'ProtobufEncoder'?",
        ])
        #expect(result.errors[2].column == 28)
    }

    @Test func matcherValidatorHookReportsBadExpressions() throws {
        let matcher: ConfigLoader.MatcherValidator = { expression in
            expression.contains("=~ 5") ? (column: 8, message: "regex expected") : nil
        }
        let text = """
        [good]
        type = "FileOutput"
        path = "/a"
        message_matcher = "Type == 'x'"
        [bad]
        type = "FileOutput"
        path = "/b"
        message_matcher = "Type =~ 5"
        """
        let error = try #require(TestCatalog.load(text, matcher: matcher).errors.first)
        #expect(error.message == "option 'message_matcher' in [bad] (plugins.toml:8) is not a valid message matcher: regex expected (column 8 of the expression)")
        #expect(TestCatalog.load(text, matcher: nil).errors.isEmpty)
    }

    @Test func defaultsAreFilledIn() throws {
        let result = TestCatalog.load("""
        [out]
        type = "FileOutput"
        path = "/tmp/out.log"
        message_matcher = "TRUE"
        [es]
        type = "ElasticSearchOutput"
        message_matcher = "TRUE"
        [in]
        type = "TcpInput"
        address = ":5565"
        """)
        let config = try #require(result.config)
        let out = try #require(config.plugin(named: "out"))
        #expect(out.typeName == "FileOutput")
        #expect(out.category == .output)
        #expect(out.string("perm") == "644")
        #expect(out.integer("flush_count") == 1)
        #expect(out.duration("flush_interval") == .seconds(1))
        #expect(out.byteSize("rotation_size") == 64 * 1024 * 1024)
        #expect(out.bool("can_exit") == false)
        #expect(out.bool("use_buffering") == false)
        #expect(out.string("buffering.full_action") == "block")
        #expect(out.byteSize("buffering.max_file_size") == 512 * 1024 * 1024)
        #expect(out.integer("retries.max_retries") == -1)
        #expect(out.duration("retries.delay") == .milliseconds(250))
        #expect(out["use_framing"] == nil)
        #expect(out["type"] == nil)
        #expect(out.location == FileLocation(file: "plugins.toml", line: 1, column: 1))
        // An own option replaces the common one of the same name, here to change its default.
        #expect(config.plugin(named: "es")?.bool("use_buffering") == true)
        let input = try #require(config.plugin(named: "in"))
        #expect(input.bool("log_decode_failures") == true)
        #expect(input.string("tls.min_version") == "TLS12")
        #expect(config.plugins(in: .input).map(\.name) == ["in"])
        #expect(config.sources == ["plugins.toml"])
        #expect(result.exitStatus == 0)
    }

    @Test func givenSubTableKeepsItsValuesAndGetsTheMissingDefaults() throws {
        let config = try #require(TestCatalog.load("""
        [in]
        type = "TcpInput"
        address = ":5565"
        use_tls = true
        [in.tls]
        cert_file = "/etc/c.pem"
        """).config)
        let input = try #require(config.plugin(named: "in"))
        #expect(input.string("tls.cert_file") == "/etc/c.pem")
        #expect(input.string("tls.min_version") == "TLS12")
        #expect(input.table("tls")?.count == 2)
    }

    @Test func aliasesAreStoredUnderTheCanonicalName() throws {
        let base = "[out]\ntype = \"FileOutput\"\npath = \"/x\"\nmessage_matcher = \"TRUE\"\n"
        let config = try #require(TestCatalog.load(base + "rotate_size = \"1MiB\"\n").config)
        #expect(config.plugin(named: "out")?.byteSize("rotation_size") == 1024 * 1024)
        #expect(config.plugin(named: "out")?["rotate_size"] == nil)
        let both = TestCatalog.load(base + "rotate_size = 1\nrotation_size = 2\n")
        #expect(both.errors.map(\.message) == [
            "option 'rotate_size' in [out] (plugins.toml:5) is another name for 'rotation_size', which is set too; keep one",
        ])
    }

    @Test func ignoredOptionsWarnButDoNotFail() throws {
        let result = TestCatalog.load("[in]\ntype = \"TcpInput\"\naddress = \":1\"\nmax_connections = 10\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.description) == [
            "warning: option 'max_connections' in [in] (plugins.toml:4) is ignored: connections are limited by the OS",
        ])
        #expect(result.config != nil)
    }

    @Test func kindChecksForArraysMapsDurationsAndSizes() {
        let result = TestCatalog.load("""
        [logs]
        type = "LogstreamerInput"
        log_directory = "/var/log"
        file_match = 'x'
        priority = ["^Index", 3]
        rescan_interval = "5 parsecs"
        fields = { a = "1", b = 2 }
        [out]
        type = "FileOutput"
        path = "/x"
        message_matcher = "TRUE"
        rotation_size = -1
        flush_interval = true
        [m]
        type = "MultiDecoder"
        subs = "ProtobufDecoder"
        weights = [1, 2.5, "3"]
        """)
        #expect(result.errors.map(\.message) == [
            "option 'priority[1]' in [logs] (plugins.toml:5) must be a string, found an integer",
            "option 'rescan_interval' in [logs] (plugins.toml:6) must be a duration (seconds, or a string such as \"250ms\" or \"1m30s\"), found '5 parsecs' (unknown unit 'parsecs' (ns, us, ms, s, m, h))",
            "option 'fields' in [logs] (plugins.toml:7) must be a table of strings, found an integer for key 'b'",
            "option 'rotation_size' in [out] (plugins.toml:12) must be a byte size (bytes, or a string such as \"64MiB\"), found -1 (a size cannot be negative)",
            "option 'flush_interval' in [out] (plugins.toml:13) must be a duration (seconds, or a string such as \"250ms\" or \"1m30s\"), found a boolean",
            "option 'subs' in [m] (plugins.toml:16) must be an array of strings, found a string",
            "option 'weights[2]' in [m] (plugins.toml:17) must be a number, found a string",
        ])
    }

    @Test func accessorsReadDottedPathsAndConvertUnits() throws {
        let config = try #require(TestCatalog.load("""
        [out]
        type = "FileOutput"
        path = "/x"
        message_matcher = "TRUE"
        flush_interval = 0.25
        rotation_size = "1.5 KB"
        ticker_interval = 5
        """).config)
        let out = try #require(config.plugin(named: "out"))
        #expect(out.duration("flush_interval") == .milliseconds(250))
        #expect(out.duration("ticker_interval") == .seconds(5))
        #expect(out.byteSize("rotation_size") == 1500)
        #expect(out.double("flush_count") == 1.0)
        #expect(out.string("flush_count") == nil)
        #expect(out.strings("path") == nil)
        #expect(out["flush_interval"]?.location?.line == 5)
    }
}
