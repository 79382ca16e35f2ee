import Testing
@testable import RunnelCore

@Suite struct ConfigUnitsAndSuggestionsTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("1m30s", .seconds(90)), ("1.5h", .seconds(5400)),
        ("2 s", .seconds(2)), ("100us", .microseconds(100)), ("100µs", .microseconds(100)), ("7ns", .nanoseconds(7)),
        ("0s", .zero),
    ])
    func durationStrings(_ text: String, _ expected: Duration) throws {
        #expect(try DurationText.parse(text).get() == expected)
    }

    @Test(arguments: [("10", "a unit is missing"), ("-1s", "cannot be negative"), ("5 parsecs", "unknown unit 'parsecs'"),
                      ("", "empty"), ("s", "expected a number"), ("99999999999h", "too long")])
    func badDurationStrings(_ text: String, _ reason: String) {
        expectFailure(DurationText.parse(text), text, reason)
    }

    private func expectFailure<Value>(_ result: Result<Value, ConfigUnitError>, _ text: String, _ reason: String) {
        guard case .failure(let error) = result else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test func durationsFromNumbersAreSeconds() {
        #expect(ConfigValue.integer(3).durationValue == .seconds(3))
        #expect(ConfigValue.double(0.5).durationValue == .milliseconds(500))
        #expect(ConfigValue.integer(-3).durationValue == nil)
        #expect(ConfigValue.bool(true).durationValue == nil)
    }

    @Test(arguments: [("64MiB", 67_108_864), ("1.5 GB", 1_500_000_000), ("512k", 524_288), ("10", 10), ("8KiB", 8192),
                      ("2 tb", 2_000_000_000_000), ("100 B", 100)])
    func byteSizeStrings(_ text: String, _ expected: Int) throws {
        #expect(try ByteSizeText.parse(text).get() == expected)
    }

    @Test(arguments: [("-1MiB", "cannot be negative"), ("12 XB", "unknown unit 'xb'"), ("MiB", "expected a number"),
                      ("99999999 TiB", "too large")])
    func badByteSizeStrings(_ text: String, _ reason: String) {
        expectFailure(ByteSizeText.parse(text), text, reason)
    }

    @Test func editDistanceCountsTranspositionsAsOneEdit() {
        func distance(_ a: String, _ b: String) -> Int {
            DidYouMean.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: 10)
        }
        #expect(distance("flush_cont", "flush_count") == 1)
        #expect(distance("flsuh_count", "flush_count") == 1)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(distance("same", "same") == 0)
    }

    @Test func suggestionsOnlyForLikelyTypos() {
        let names = ["flush_count", "flush_interval", "path", "perm"]
        #expect(DidYouMean.bestMatch(for: "flush_cont", among: names) == "flush_count")
        #expect(DidYouMean.bestMatch(for: "FLUSH_COUNT", among: names) == "flush_count")
        #expect(DidYouMean.bestMatch(for: "pth", among: names) == "path")
        #expect(DidYouMean.bestMatch(for: "address", among: names) == nil)
        #expect(DidYouMean.bestMatch(for: "FooOutput", among: ["FileOutput", "TcpOutput"]) == "FileOutput")
        #expect(DidYouMean.suggestion(for: "prem", among: names) == "did you mean 'perm'?")
    }

    @Test func pluginCategoryComesFromTheTypeSuffix() {
        #expect(PluginCategory(typeName: "FileOutput") == .output)
        #expect(PluginCategory(typeName: "TokenSplitter") == .splitter)
        #expect(PluginCategory(typeName: "ESJsonEncoder") == .encoder)
        #expect(PluginCategory(typeName: "Output") == nil)
        #expect(PluginCategory(typeName: "Outputs") == nil)
        #expect(PluginCategory(typeName: "nginx") == nil)
    }

    @Test func schemaMergesCommonOptionsAndLetsOwnOptionsOverrideThem() throws {
        let names = TestCatalog.elasticSearchOutput.effectiveOptions.map(\.name)
        #expect(names.filter { $0 == "use_buffering" }.count == 1)
        #expect(names.contains("message_matcher") && names.contains("encoder") && names.contains("buffering"))
        let override = try #require(TestCatalog.elasticSearchOutput.effectiveOptions.first { $0.name == "use_buffering" })
        #expect(override.defaultValue == true)
        #expect(TestCatalog.protobufDecoder.effectiveOptions.isEmpty)
        #expect(TestCatalog.tokenSplitter.effectiveOptions.map(\.name).starts(with: ["keep_truncated", "use_message_bytes"]))
    }

    /// Every default declared in the built-in schemas must pass its own kind and choices.
    @Test func builtInDefaultsAreValid() {
        func check(_ specs: [OptionSpec], _ path: String) {
            for spec in specs {
                if case .table(let sub) = spec.kind { check(sub, path + spec.name + ".") }
                guard let value = spec.defaultValue else { continue }
                var table = ConfigTable()
                table[spec.name] = value
                var validator = OptionValidator(section: "check", matcherValidator: nil)
                _ = validator.validate(table, specs: [spec], tableLocation: FileLocation(file: "f", line: 1, column: 1))
                #expect(validator.diagnostics.filter { $0.severity == .error }.isEmpty, "\(path)\(spec.name): \(validator.diagnostics)")
            }
        }
        check(GlobalOptions.schema, "runnel.")
        for category in PluginCategory.allCases { check(CommonOptions.options(for: category), "\(category).") }
        for schema in TestCatalog.catalog.schemas { check(schema.options, schema.typeName + ".") }
    }

    @Test func catalogListsSchemasByCategoryThenName() {
        let catalog = TestCatalog.catalog
        #expect(catalog.schema(for: "FileOutput")?.category == .output)
        #expect(catalog.schema(for: "NoSuchOutput") == nil)
        #expect(catalog.schemas.map(\.typeName) == [
            "LogstreamerInput", "TcpInput", "TokenSplitter", "MultiDecoder", "ProtobufDecoder", "CounterFilter",
            "PayloadEncoder", "ProtobufEncoder", "ElasticSearchOutput", "FileOutput",
        ])
    }

    @Test func hekaTypeListCoversTheDocumentedPlugins() {
        for type in ["SandboxFilter", "SandboxDecoder", "SandboxEncoder", "SandboxInput", "SandboxOutput", "SandboxManagerFilter",
                     "DashboardOutput", "SmtpOutput", "AMQPInput", "AMQPOutput", "WhisperOutput", "CarbonOutput", "NagiosOutput",
                     "IrcOutput", "StatsdInput", "StatAccumInput", "ProcessInput", "HttpInput", "HttpListenInput", "HttpOutput",
                     "ProcessDirectoryInput", "FilePollingInput", "DockerStatsInput", "GeoIpDecoder", "ScribbleDecoder",
                     "StatsToFieldsDecoder", "PayloadXmlDecoder", "RstEncoder", "ESLogstashV0Encoder", "StatFilter"] {
            #expect(HekaPluginTypes.all.contains(type), "\(type)")
        }
        #expect(HekaPluginTypes.all.allSatisfy { PluginCategory(typeName: $0) != nil })
    }
}
