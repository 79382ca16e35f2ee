import RunnelCore

extension TcpOutput {
    /// Heka's buffering defaults for TcpOutput: the standard ones except `cursor_update_count`.
    static let bufferingOptions: [OptionSpec] = CommonOptions.buffering.map { spec in
        var spec = spec
        if spec.name == "cursor_update_count" { spec.defaultValue = 50 }
        return spec
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "TcpOutput", category: .output,
            summary: "Sends messages to a TCP listener, by default Heka framed protobuf for another agent's TcpInput; reconnects with backoff and sends unconfirmed batches again.",
            options: [
                OptionSpec("address", .string, required: true, summary: "host:port to connect to."),
                OptionSpec("local_address", .string,
                           summary: "Source IP address (or ip:port) of the connection."),
                OptionSpec("keep_alive", .bool, default: false, summary: "Send TCP keepalive probes on an idle connection."),
                OptionSpec("keep_alive_period", .duration, default: 7200,
                           summary: "Idle time before the first keepalive probe, and between probes (seconds, as in Heka)."),
                OptionSpec("encoder", .string, default: "ProtobufEncoder", references: .encoder,
                           summary: "Encoder section for the bytes sent. Defaults to ProtobufEncoder (Heka's default)."),
                OptionSpec("use_framing", .bool,
                           summary: "Wrap each encoded message in Heka stream framing. Default, as in Heka: true with ProtobufEncoder, false with any other encoder; always true with confirm_by = \"peer\"."),
                OptionSpec("reconnect_after", .integer, default: 0,
                           summary: "Open a new connection after this many messages were sent and confirmed on one; 0 never."),
                OptionSpec("close_after_write", .bool, default: false,
                           summary: "Heka 0.9: open a new connection after every write (now `reconnect_after`)."),
                OptionSpec("confirm_by", .string, default: "tcp_ack", allowed: ["tcp_ack", "peer"],
                           summary: "When a batch counts as delivered: \"tcp_ack\" once the peer's TCP acknowledged all its bytes (any peer); \"peer\" once a Runnel TcpInput confirms its outputs settled them, so a receiving agent killed mid-stream loses nothing."),
                OptionSpec("max_unconfirmed", .byteSize, default: "16MiB",
                           summary: "Encoded bytes sent but not yet confirmed; at the limit no new batch is taken and the queue pushes back."),
                OptionSpec("use_buffering", .bool, default: true,
                           summary: "Queue matched messages on disk before sending, so they survive restarts and outages (Heka's default for this output)."),
                OptionSpec("buffering", .table(bufferingOptions),
                           summary: "Disk queue settings as the sub-table `[NAME.buffering]`; as in Heka, `cursor_update_count` defaults to 50."),
                OptionSpec("ticker_interval", .integer, default: 300,
                           ignoredBecause: "it set how often Heka rolled its output queue files; Runnel's disk queue starts a new segment at `[NAME.buffering] max_file_size`",
                           summary: "Heka: seconds between output queue file rolls."),
                OptionSpec("queue_max_buffer_size", .integer,
                           ignoredBecause: "Heka 0.8's queue setting is `[NAME.buffering] max_buffer_size` now",
                           summary: "Heka 0.8: the most bytes the output queue may hold."),
                OptionSpec("queue_full_action", .string,
                           ignoredBecause: "Heka 0.8's queue setting is `[NAME.buffering] full_action` now",
                           summary: "Heka 0.8: what a full output queue did."),
            ] + TLSOptions.specs,
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        guard let text = config.string("address") else { throw PluginBuildError(key: "address", "is required") }
        var options = TcpOutput.Options(address: try HostAndPort.parse(text, option: "address"))
        try TLSOptions.rejectIfRequested(config)
        if let local = config.string("local_address") {
            // Heka's examples give a bare IP; ip:port is accepted too.
            options.localAddress = HostAndPort(parsing: local)
                ?? HostAndPort(parsing: (local.contains(":") ? "[\(local)]" : local) + ":0")
            guard options.localAddress != nil else {
                throw PluginBuildError(key: "local_address", "'\(local)' is not an IP address or ip:port")
            }
        }
        options.keepAlive = TCPKeepAlive(enabled: config.bool("keep_alive") ?? false,
                                         period: config.duration("keep_alive_period") ?? .seconds(7200))
        let reconnectAfter = config.integer("reconnect_after") ?? 0
        guard reconnectAfter >= 0 else { throw PluginBuildError(key: "reconnect_after", "must not be negative") }
        options.reconnectAfter = (config.bool("close_after_write") ?? false) && reconnectAfter == 0 ? 1 : reconnectAfter
        options.useFraming = config.bool("use_framing")
        options.confirmBy = TcpOutput.ConfirmationMode(rawValue: config.string("confirm_by") ?? "tcp_ack") ?? .tcpAcknowledged
        if options.confirmBy == .peer && options.useFraming == false {
            throw PluginBuildError(key: "use_framing", "confirm_by = \"peer\" needs Heka framing")
        }
        options.maxUnconfirmedBytes = max(1, config.byteSize("max_unconfirmed") ?? 16 << 20)
        return .output(TcpOutput(options: options))
    }
}
