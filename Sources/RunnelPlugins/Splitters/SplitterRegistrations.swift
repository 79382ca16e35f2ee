import RunnelCore

/// The splitter-wide limits from the common options and the global `max_message_size`.
func splitterLimits(_ config: PluginInstanceConfig, _ context: PluginBuildContext) -> SplitterLimits {
    SplitterLimits(maxRecordSize: context.global.maxMessageSize,
                   keepTruncated: config.bool("keep_truncated") ?? false,
                   deliverIncompleteFinal: config.bool("deliver_incomplete_final") ?? false)
}

extension TokenSplitter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "TokenSplitter", category: .splitter,
            summary: "Splits on a delimiter byte, by default one record per line; the delimiter ends each record.",
            options: [
                OptionSpec("delimiter", .string, default: "\n", summary: "The single byte that ends a record."),
                OptionSpec("count", .integer, default: 1, summary: "How many delimiters make one record."),
            ],
            hekaCompatible: true, implicitInstance: true)
    ) { config, context throws(PluginBuildError) in
        let delimiter = Array((config.string("delimiter") ?? "\n").utf8)
        guard delimiter.count == 1 else { throw PluginBuildError(key: "delimiter", "must be exactly one byte") }
        let count = config.integer("count") ?? 1
        guard count >= 1 else { throw PluginBuildError(key: "count", "must be at least 1") }
        let limits = splitterLimits(config, context)
        return .splitter { offset in TokenSplitter(delimiter: delimiter[0], count: count, limits: limits, startOffset: offset) }
    }
}

extension NullSplitter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "NullSplitter", category: .splitter,
            summary: "Each chunk the input reads (a datagram, say) is one record.",
            options: [], hekaCompatible: true, implicitInstance: true)
    ) { _, context throws(PluginBuildError) in
        let maxSize = context.global.maxMessageSize
        return .splitter { offset in NullSplitter(maxRecordSize: maxSize, startOffset: offset) }
    }
}

extension HekaFramingSplitter {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "HekaFramingSplitter", category: .splitter,
            summary: "Records are the messages of a Heka framed stream; garbage between frames is skipped and counted.",
            options: [
                OptionSpec("use_message_bytes", .bool, default: true,
                           summary: "Hand each frame's protobuf bytes to the decoder (ProtobufDecoder reads them)."),
                OptionSpec("skip_authentication", .bool, default: false,
                           summary: "Accept frames without checking their HMAC signatures."),
                OptionSpec("signer", .any,
                           summary: "Signers whose messages are accepted: `[X.signer.NAME_VERSION]` tables with `hmac_key`."),
            ],
            hekaCompatible: true, implicitInstance: true)
    ) { config, context throws(PluginBuildError) in
        let maxSize = context.global.maxMessageSize
        let verifier = (config.bool("skip_authentication") ?? false) ? nil : try signatureVerifier(config)
        return .splitter { offset in HekaFramingSplitter(maxMessageSize: maxSize, verifier: verifier, startOffset: offset) }
    }
}
