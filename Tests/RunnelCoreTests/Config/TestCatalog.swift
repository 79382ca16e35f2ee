@testable import RunnelCore

/// A few fake plugin schemas for the configuration tests; the real plugins declare their own.
enum TestCatalog {
    static let catalog = PluginCatalog(schemas: [
        fileOutput, elasticSearchOutput, tcpInput, logstreamerInput, tokenSplitter, protobufDecoder,
        multiDecoder, payloadEncoder, protobufEncoder, counterFilter,
    ])

    static let fileOutput = PluginSchema(typeName: "FileOutput", category: .output, summary: "Writes messages to a file.", options: [
        OptionSpec("path", .string, required: true, summary: "File to write."),
        OptionSpec("perm", .string, default: "644", summary: "Permissions of a new file."),
        OptionSpec("flush_count", .integer, default: 1, summary: "Messages between flushes."),
        OptionSpec("flush_interval", .duration, default: "1s", summary: "Time between flushes."),
        OptionSpec("flush_operator", .string, default: "AND", allowed: ["AND", "OR"], summary: "How the two limits combine."),
        OptionSpec("rotation_size", .byteSize, default: "64MiB", aliases: ["rotate_size"], summary: "Size at which the file rotates."),
    ], hekaCompatible: true)

    static let elasticSearchOutput = PluginSchema(typeName: "ElasticSearchOutput", category: .output, summary: "Bulk-indexes into Elasticsearch.", options: [
        OptionSpec("server", .string, default: "http://localhost:9200", summary: "Elasticsearch URL."),
        OptionSpec("flush_interval", .duration, default: "1s", summary: "Time between bulk requests."),
        OptionSpec("flush_count", .integer, default: 10, summary: "Messages per bulk request."),
        OptionSpec("username", .string, summary: "Basic auth user."),
        OptionSpec("password", .string, summary: "Basic auth password."),
        OptionSpec("use_buffering", .bool, default: true, summary: "Disk queue on by default for this output."),
    ], hekaCompatible: true)

    static let tcpInput = PluginSchema(typeName: "TcpInput", category: .input, summary: "Accepts TCP connections.", options: [
        OptionSpec("address", .string, required: true, summary: "host:port to listen on."),
        OptionSpec("use_tls", .bool, default: false, summary: "Serve TLS."),
        OptionSpec("keep_alive", .bool, default: false, summary: "TCP keep-alive."),
        OptionSpec("tls", .table([
            OptionSpec("cert_file", .string, summary: "Certificate."),
            OptionSpec("key_file", .string, summary: "Key."),
            OptionSpec("min_version", .string, default: "TLS12", allowed: ["TLS11", "TLS12", "TLS13"], summary: "Lowest TLS version."),
        ]), summary: "TLS settings."),
        OptionSpec("max_connections", .integer, ignoredBecause: "connections are limited by the OS", summary: "Heka option."),
    ], hekaCompatible: true)

    static let logstreamerInput = PluginSchema(typeName: "LogstreamerInput", category: .input, summary: "Tails log files.", options: [
        OptionSpec("log_directory", .string, required: true, summary: "Root directory."),
        OptionSpec("file_match", .string, required: true, summary: "Regex of files to read."),
        OptionSpec("priority", .array(.string), default: [], summary: "Sort order of matched parts."),
        OptionSpec("differentiator", .array(.string), summary: "Stream name parts."),
        OptionSpec("rescan_interval", .duration, default: "1m", summary: "How often to look for new files."),
        OptionSpec("splitter", .string, default: "TokenSplitter", references: .splitter, summary: "Default splitter."),
        OptionSpec("fields", .stringMap, summary: "Fields to add."),
    ], hekaCompatible: true)

    static let tokenSplitter = PluginSchema(typeName: "TokenSplitter", category: .splitter, summary: "Splits on a delimiter byte.", options: [
        OptionSpec("delimiter", .string, default: "\n", summary: "Delimiter."),
        OptionSpec("count", .integer, default: 1, summary: "Delimiters per record."),
    ], hekaCompatible: true, implicitInstance: true)

    static let protobufDecoder = PluginSchema(typeName: "ProtobufDecoder", category: .decoder, summary: "Decodes Heka protobuf.",
                                              options: [], hekaCompatible: true, implicitInstance: true)

    static let multiDecoder = PluginSchema(typeName: "MultiDecoder", category: .decoder, summary: "Tries several decoders.", options: [
        OptionSpec("subs", .array(.string), required: true, references: .decoder, summary: "Decoders to try."),
        OptionSpec("cascade_strategy", .string, default: "first-wins", allowed: ["first-wins", "all"], summary: "Strategy."),
        OptionSpec("weights", .array(.double), summary: "Numbers."),
    ], hekaCompatible: true)

    static let payloadEncoder = PluginSchema(typeName: "PayloadEncoder", category: .encoder, summary: "Writes the payload.", options: [
        OptionSpec("append_newlines", .bool, default: true, summary: "Newline after each payload."),
        OptionSpec("prefix_ts", .bool, default: false, summary: "Timestamp prefix."),
    ], hekaCompatible: true)

    static let protobufEncoder = PluginSchema(typeName: "ProtobufEncoder", category: .encoder, summary: "Encodes Heka protobuf.",
                                              options: [], hekaCompatible: true, implicitInstance: true)

    static let counterFilter = PluginSchema(typeName: "CounterFilter", category: .filter, summary: "Counts messages.", options: [],
                                            hekaCompatible: true)

    /// A loader over the test catalog with a fixed environment.
    static func loader(environment: [String: String] = [:],
                       matcher: ConfigLoader.MatcherValidator? = nil) -> ConfigLoader {
        ConfigLoader(catalog: catalog, environment: environment, matcherValidator: matcher)
    }

    /// Loads `text` as `plugins.toml`.
    static func load(_ text: String, environment: [String: String] = [:],
                     matcher: ConfigLoader.MatcherValidator? = nil) -> ConfigLoadResult {
        loader(environment: environment, matcher: matcher).load(text: text, fileName: "plugins.toml")
    }
}
