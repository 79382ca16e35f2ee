import RunnelCore
import RunnelPlugins
import Testing

/// Builds decoders and splitters the way the agent does: configuration text through
/// `ConfigLoader` and `PipelineBuilder`, so the schemas, defaults and build errors are the real ones.
enum DecoderFixture {
    static let registry = PluginRegistry(StandardPlugins.all)

    static func load(_ toml: String) -> ConfigLoadResult {
        ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "plugins.toml")
    }

    /// Loads and builds `toml`; the plan, or every load and build error's message.
    static func build(_ toml: String) -> (plan: PipelinePlan?, errors: [String]) {
        let loaded = load(toml)
        guard let config = loaded.config else {
            return (nil, loaded.diagnostics.filter { $0.severity == .error }.map(\.message))
        }
        let built = PipelineBuilder.build(config, registry: registry, hostname: "test-host")
        return (built.plan, built.errors.map(\.message))
    }

    /// The decoder an input gets when it names the section `name` defined in `sections`.
    static func decoder(_ sections: String, named name: String = "decoder",
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> any Decoder {
        let result = build(sections + "\n[input]\ntype = \"StdinInput\"\ndecoder = \"\(name)\"\n")
        #expect(result.errors == [], sourceLocation: sourceLocation)
        return try #require(result.plan?.inputs.first?.decoder, sourceLocation: sourceLocation)
    }

    /// The build errors of a configuration using the decoder section `name`.
    static func errors(_ sections: String, named name: String = "decoder") -> [String] {
        build(sections + "\n[input]\ntype = \"StdinInput\"\ndecoder = \"\(name)\"\n").errors
    }

    /// The splitter factory an input gets when it names the splitter section `name`.
    static func splitter(_ sections: String, named name: String = "splitter",
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> SplitterFactory {
        let result = build(sections + "\n[input]\ntype = \"StdinInput\"\nsplitter = \"\(name)\"\n")
        #expect(result.errors == [], sourceLocation: sourceLocation)
        return try #require(result.plan?.inputs.first?.splitter, sourceLocation: sourceLocation)
    }

    /// A raw record message as a byte-stream input builds it.
    static func record(_ payload: [UInt8], timestamp: Int64 = 1_000) -> Message {
        Message(uuid: MessageUUID(high: 1, low: 2), timestamp: timestamp, type: "stdin", logger: "input",
                payload: ByteString(payload), hostname: "test-host")
    }

    static func record(_ payload: String, timestamp: Int64 = 1_000) -> Message {
        record(Array(payload.utf8), timestamp: timestamp)
    }

    /// The only message `decoder` makes of `payload`.
    static func decodeOne(_ decoder: any Decoder, _ payload: String,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> Message {
        let messages = try decoder.decode(record(payload))
        #expect(messages.count == 1, sourceLocation: sourceLocation)
        return try #require(messages.first, sourceLocation: sourceLocation)
    }

    /// The failure reason `decoder` gives for `payload`, nil when it decodes.
    static func failure(_ decoder: any Decoder, _ payload: [UInt8]) -> String? {
        do {
            _ = try decoder.decode(record(payload))
            return nil
        } catch {
            return error.reason
        }
    }

    static func failure(_ decoder: any Decoder, _ payload: String) -> String? {
        failure(decoder, Array(payload.utf8))
    }

    /// Nanoseconds of a UTC date and time.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
        (CivilTime.daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000_000
    }

    /// Inputs that break parsers: invalid UTF-8, NUL bytes, a 1 MB line, truncated and binary junk.
    static let hostilePayloads: [[UInt8]] = [
        [], [0x00], [0xFF, 0xFE, 0xFD], Array("abc\u{0}def".utf8), [0xC3], Array(repeating: 0x41, count: 1 << 20),
        Array(repeating: UInt8(ascii: "{"), count: 100_000), Array(#"{"a": "b", "c": [1, 2, {"d"#.utf8),
        Array(#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200"#.utf8),
        (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) },
    ]
}

extension Message {
    /// The first value of a field, for assertions.
    func value(_ name: String) -> FieldValues? { field(named: ByteString(name))?.values }

    func string(_ name: String) -> String? {
        if case .string(let values)? = value(name) { return values.first?.string }
        return nil
    }

}
