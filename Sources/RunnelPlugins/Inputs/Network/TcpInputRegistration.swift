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
                ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        try TLSOptions.rejectIfRequested(config)
        var options = TcpInput.Options(
            listener: try NetworkInputOptions.build(config, context, transport: "tcp", hekaDefault: .hekaFraming(verifier: nil)))
        options.keepAlive = TCPKeepAlive(enabled: config.bool("keep_alive") ?? false,
                                         period: config.duration("keep_alive_period") ?? .seconds(7200))
        let maxConnections = config.integer("max_connections") ?? 1024
        guard maxConnections >= 1 else { throw PluginBuildError(key: "max_connections", "must be at least 1") }
        options.maxConnections = maxConnections
        return .input(TcpInput(options: options))
    }
}
