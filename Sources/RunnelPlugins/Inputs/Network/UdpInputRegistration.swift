import RunnelCore

extension UdpInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "UdpInput", category: .input,
            summary: "Receives UDP datagrams; each datagram is one record unless a splitter cuts it.",
            options: NetworkInputOptions.specs(transport: "udp", defaultSplitterName: "NullSplitter: one record per datagram (Heka's default); HekaFramingSplitter when signers are configured")
                + [
                    OptionSpec("set_hostname", .bool, default: false, summary: "Set Hostname to the sender's IP address."),
                ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        var options = UdpInput.Options(listener: try NetworkInputOptions.build(config, context, transport: "udp", hekaDefault: .null))
        options.setHostname = config.bool("set_hostname") ?? false
        return .input(UdpInput(options: options))
    }
}
