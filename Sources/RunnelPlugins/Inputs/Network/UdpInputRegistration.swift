import RunnelCore

extension UdpInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "UdpInput", category: .input,
            summary: "Receives UDP datagrams; each datagram is one record unless a splitter cuts it.",
            options: NetworkInputOptions.specs(transport: "udp", defaultSplitterName: "NullSplitter: one record per datagram (Heka's default); HekaFramingSplitter when signers are configured")
                + [
                    OptionSpec("set_hostname", .bool, default: false, summary: "Set Hostname to the sender's IP address."),
                    OptionSpec("receive_buffer_size", .byteSize,
                               summary: "The socket's kernel receive buffer (SO_RCVBUF); datagrams beyond it are dropped by the kernel. System default when absent."),
                ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        let shared = try NetworkInputOptions.build(config, context, transport: "udp", hekaDefault: .null)
        var options = UdpInput.Options(address: shared.address)
        options.family = shared.family
        options.defaultSplitter = shared.defaultSplitter
        options.decodeFramesWithoutDecoder = shared.decodeFramesWithoutDecoder
        options.addressFile = shared.addressFile
        options.setHostname = config.bool("set_hostname") ?? false
        options.receiveBufferBytes = config.byteSize("receive_buffer_size")
        return .input(UdpInput(options: options))
    }
}
