import RunnelCore

/// Options TcpInput and UdpInput share: Heka's address and `net`, the signer tables, and the
/// pre-0.9 parser options that `splitter` replaced (still accepted so old configurations load).
enum NetworkInputOptions {
    static func specs(transport: String, defaultSplitterName: String) -> [OptionSpec] {
        [
            OptionSpec("address", .string, required: true,
                       summary: "host:port to listen on; \":5565\" listens on every IPv4 interface. Port 0 picks a free port, which is logged and written to `base_dir/NAME.addr`."),
            OptionSpec("net", .string, default: .string(transport),
                       allowed: [.string(transport), .string(transport + "4"), .string(transport + "6")],
                       summary: "\"\(transport)\" (IPv4 or IPv6, as the address resolves), \"\(transport)4\" or \"\(transport)6\". Heka's Unix socket networks are not supported."),
            OptionSpec("splitter", .string, references: .splitter,
                       summary: "Splitter section that cuts each stream into records. Defaults to \(defaultSplitterName)."),
            OptionSpec("decoder", .string, references: .decoder,
                       summary: "Decoder section for each record. Without one, Heka frames are decoded as the messages they carry (Heka's ProtobufDecoder default) and any other record becomes the Payload of a message."),
            OptionSpec("signer", .any,
                       summary: "`[NAME.signer.SIGNER_VERSION]` tables with `hmac_key`: only Heka frames signed with one of these keys are accepted (default HekaFramingSplitter only)."),
            OptionSpec("parser_type", .string, allowed: ["token", "regexp", "message.proto"],
                       summary: "Heka before 0.9: \"token\" splits on `delimiter` (a TokenSplitter), \"message.proto\" reads Heka frames. Use `splitter` instead."),
            OptionSpec("delimiter", .string, summary: "Heka before 0.9: the byte ending each record with parser_type = \"token\" (default \"\\n\")."),
            OptionSpec("receive_buffer_size", .byteSize,
                       summary: "Kernel receive buffer of the socket (SO_RCVBUF; for TCP, of each connection): what the kernel holds while the input is not reading. The system's default when absent."),
            OptionSpec("delimiter_location", .string, allowed: ["start", "end"],
                       ignoredBecause: "it placed regexp delimiters, and parser_type = \"regexp\" is replaced by a RegexSplitter section",
                       summary: "Heka before 0.9: where a regexp delimiter belonged."),
        ]
    }

    /// Reads the shared options; `hekaDefault` is the splitter Heka used when none was set.
    static func build(_ config: PluginInstanceConfig, _ context: PluginBuildContext, transport: String,
                      hekaDefault: NetworkDefaultSplitter) throws(PluginBuildError) -> ListenerOptions {
        guard let text = config.string("address") else { throw PluginBuildError(key: "address", "is required") }
        let address = try HostAndPort.parse(text, option: "address")
        let net = config.string("net") ?? transport
        guard let family = IPFamily(net: net, transport: transport) else {
            throw PluginBuildError(key: "net", "'\(net)' is not supported; use \"\(transport)\", \"\(transport)4\" or \"\(transport)6\"")
        }
        let verifier = try signatureVerifier(config)
        var defaultSplitter = hekaDefault
        if let parser = config.string("parser_type") {
            switch parser {
            case "token":
                let delimiter = Array((config.string("delimiter") ?? "\n").utf8)
                guard delimiter.count == 1 else { throw PluginBuildError(key: "delimiter", "must be exactly one byte") }
                defaultSplitter = .token(delimiter: delimiter[0])
            case "message.proto":
                defaultSplitter = .hekaFraming(verifier: verifier)
            default:
                throw PluginBuildError(key: "parser_type", "'\(parser)' is replaced by a RegexSplitter section named in `splitter`")
            }
        } else if verifier != nil {
            defaultSplitter = .hekaFraming(verifier: verifier)
        }
        if config.string("splitter") != nil {
            if config.string("parser_type") != nil { throw PluginBuildError(key: "parser_type", "set either splitter or parser_type, not both") }
            if verifier != nil { throw PluginBuildError(key: "signer", "with a splitter section, put the signer tables in that HekaFramingSplitter section") }
        }
        var listener = ListenerOptions(address: address, defaultSplitter: defaultSplitter)
        listener.family = family
        listener.decodeFramesWithoutDecoder = config.string("decoder") == nil
        listener.receiveBufferBytes = config.byteSize("receive_buffer_size")
        listener.addressFile = BoundAddressFile.path(baseDir: context.global.baseDir, pluginName: config.name)
        return listener
    }
}
