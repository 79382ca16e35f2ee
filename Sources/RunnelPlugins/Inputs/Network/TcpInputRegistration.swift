import RunnelCore

extension TcpInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "TcpInput", category: .input,
            summary: "Listens for TCP connections, each read as its own stream: Heka framed messages by default, or lines with `splitter = \"TokenSplitter\"`.",
            options: NetworkInputOptions.specs(transport: "tcp", defaultSplitterName: "HekaFramingSplitter (Heka's default)")
                + TLSOptions.specs + [
                    OptionSpec("keep_alive", .bool, default: false, summary: "Send TCP keepalive probes on idle connections."),
                    OptionSpec("keep_alive_period", .duration, default: 7200,
                               summary: "Idle time before the first keepalive probe, and between probes (seconds, as in Heka)."),
                    OptionSpec("max_connections", .integer, default: 1024,
                               summary: "Connections served at once; further clients wait in the accept backlog until one closes."),
                    OptionSpec("receive_buffer_size", .byteSize,
                               summary: "Kernel receive buffer of each connection (SO_RCVBUF): what a paused connection can hold outside the process. The system's autotuning when absent."),
                ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        let shared = try NetworkInputOptions.build(config, context, transport: "tcp", hekaDefault: .hekaFraming(verifier: nil))
        try TLSOptions.rejectIfRequested(config)
        var options = TcpInput.Options(address: shared.address)
        options.family = shared.family
        options.defaultSplitter = shared.defaultSplitter
        options.decodeFramesWithoutDecoder = shared.decodeFramesWithoutDecoder
        options.addressFile = shared.addressFile
        options.keepAlive = TCPKeepAlive(enabled: config.bool("keep_alive") ?? false,
                                         period: config.duration("keep_alive_period") ?? .seconds(7200))
        let maxConnections = config.integer("max_connections") ?? 1024
        guard maxConnections >= 1 else { throw PluginBuildError(key: "max_connections", "must be at least 1") }
        options.maxConnections = maxConnections
        options.receiveBufferBytes = config.byteSize("receive_buffer_size")
        return .input(TcpInput(options: options))
    }
}
