import RunnelCore
import Testing
@testable import RunnelPlugins

/// The network plugins as a configuration declares them: Heka's documented options accepted,
/// Heka's defaults applied, and what this build cannot do refused clearly.
@Suite struct NetworkRegistrationTests {
    static let registry = PluginRegistry(StandardPlugins.all)

    struct Built {
        var plan: PipelinePlan?
        var messages: [String]
        var warnings: [String]
    }

    static func build(_ toml: String) -> Built {
        let loaded = ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "test.toml")
        guard let config = loaded.config else { return Built(plan: nil, messages: loaded.errors.map(\.message), warnings: []) }
        let (plan, errors) = PipelineBuilder.build(config, registry: registry, hostname: "host")
        return Built(plan: plan, messages: errors.map(\.message), warnings: loaded.warnings.map(\.message))
    }

    static let output = """
        [out]
        type = "LogOutput"
        message_matcher = "TRUE"
        """

    @Test func tcpInputDefaultsToHekaFramesDecodedAsSent() throws {
        let built = Self.build("[tcp]\ntype = \"TcpInput\"\naddress = \":0\"\n" + Self.output)
        let plan = try #require(built.plan, "\(built.messages)")
        let input = try #require(plan.inputs.first?.plugin as? TcpInput)
        #expect(input.options.listener.address == HostAndPort(host: "", port: 0))
        #expect(input.options.listener.decodeFramesWithoutDecoder)
        #expect(input.options.maxConnections == 1024)
        #expect(input.options.listener.addressFile == "/var/lib/runnel/tcp.addr")
        #expect(plan.inputs[0].splitter(0) is HekaFramingSplitter)
        #expect(plan.inputs[0].decoder == nil)
    }

    @Test func tcpInputAcceptsEveryOptionHekaDocuments() throws {
        let built = Self.build("""
            [tcp]
            type = "TcpInput"
            address = "127.0.0.1:5565"
            net = "tcp4"
            keep_alive = true
            keep_alive_period = 60
            use_tls = false
            splitter = "TokenSplitter"
            decoder = "ProtobufDecoder"
            max_connections = 8
            [tcp.tls]
            cert_file = "/etc/cert.pem"
            key_file = "/etc/key.pem"
            client_auth = "RequireAndVerifyClientCert"
            client_cafile = "/etc/ca.pem"
            min_version = "TLS11"
            prefer_server_ciphers = true
            """ + "\n" + Self.output)
        let plan = try #require(built.plan, "\(built.messages)")
        let input = try #require(plan.inputs.first?.plugin as? TcpInput)
        #expect(input.options.listener.family == .v4)
        #expect(input.options.keepAlive == TCPKeepAlive(enabled: true, period: .seconds(60)))
        #expect(input.options.maxConnections == 8)
        #expect(!input.options.listener.decodeFramesWithoutDecoder)
        #expect(plan.inputs[0].splitter(0) is TokenSplitter)
    }

    @Test func tlsIsRefusedAsNotBuiltIn() {
        for plugin in ["type = \"TcpInput\"\naddress = \":0\"", "type = \"TcpOutput\"\naddress = \"127.0.0.1:1\"\nmessage_matcher = \"TRUE\""] {
            let built = Self.build("[net]\n\(plugin)\nuse_tls = true\n" + Self.output)
            #expect(built.plan == nil)
            #expect(built.messages.contains { $0.contains("TLS is not built into this runnel") }, "\(built.messages)")
        }
    }

    @Test func oldParserOptionsChooseTheDefaultSplitter() throws {
        let built = Self.build("[tcp]\ntype = \"TcpInput\"\naddress = \":0\"\nparser_type = \"token\"\ndelimiter = \"|\"\n" + Self.output)
        let plan = try #require(built.plan, "\(built.messages)")
        let splitter = try #require(plan.inputs[0].splitter(0) as? TokenSplitter)
        #expect(splitter.delimiter == UInt8(ascii: "|"))

        let regexp = Self.build("[tcp]\ntype = \"TcpInput\"\naddress = \":0\"\nparser_type = \"regexp\"\n" + Self.output)
        #expect(regexp.messages.contains { $0.contains("RegexSplitter") })
    }

    @Test func badAddressesAndNetworksAreReportedAtTheOption() {
        let badAddress = Self.build("[tcp]\ntype = \"TcpInput\"\naddress = \"5565\"\n" + Self.output)
        #expect(badAddress.messages.contains { $0.contains("option 'address'") && $0.contains("not host:port") })
        let unix = Self.build("[tcp]\ntype = \"TcpInput\"\naddress = \":0\"\nnet = \"unix\"\n" + Self.output)
        #expect(unix.plan == nil)
        #expect(unix.messages.contains { $0.contains("net") })
        #expect(HostAndPort(parsing: "[::1]:80") == HostAndPort(host: "::1", port: 80))
        #expect(HostAndPort(parsing: "::1:80") == nil)
        #expect(HostAndPort(parsing: "host:65536") == nil)
    }

    @Test func tcpOutputFollowsHekaDefaults() throws {
        let built = Self.build("""
            [out]
            type = "TcpOutput"
            address = "aggregator:5565"
            message_matcher = "TRUE"
            local_address = "127.0.0.1"
            keep_alive = true
            ticker_interval = 300
            """)
        let plan = try #require(built.plan, "\(built.messages)")
        let output = try #require(plan.outputs.first?.plugin as? TcpOutput)
        #expect(plan.outputs[0].encoder is ProtobufEncoder)
        #expect(plan.outputs[0].config.bool("use_buffering") == true)
        #expect(plan.outputs[0].config.integer("buffering.cursor_update_count") == 50)
        #expect(output.options.useFraming == nil)  // framed because the encoder is ProtobufEncoder
        #expect(output.options.localAddress == HostAndPort(host: "127.0.0.1", port: 0))
        #expect(output.options.confirmBy == .tcpAcknowledged)
        #expect(built.warnings.contains { $0.contains("ticker_interval") && $0.contains("ignored") })
    }

    @Test func tcpOutputReconnectAndConfirmationOptions() throws {
        let closeAfterWrite = Self.build("[out]\ntype = \"TcpOutput\"\naddress = \"h:1\"\nmessage_matcher = \"TRUE\"\nclose_after_write = true\n")
        #expect((closeAfterWrite.plan?.outputs.first?.plugin as? TcpOutput)?.options.reconnectAfter == 1)
        let peer = Self.build("[out]\ntype = \"TcpOutput\"\naddress = \"h:1\"\nmessage_matcher = \"TRUE\"\nconfirm_by = \"peer\"\nreconnect_after = 500\n")
        let output = try #require(peer.plan?.outputs.first?.plugin as? TcpOutput, "\(peer.messages)")
        #expect(output.options.confirmBy == .peer)
        #expect(output.options.reconnectAfter == 500)
        let unframed = Self.build("[out]\ntype = \"TcpOutput\"\naddress = \"h:1\"\nmessage_matcher = \"TRUE\"\nconfirm_by = \"peer\"\nuse_framing = false\n")
        #expect(unframed.messages.contains { $0.contains("needs Heka framing") })
    }

    @Test func udpInputOptions() throws {
        let built = Self.build("""
            [udp]
            type = "UdpInput"
            address = "127.0.0.1:0"
            net = "udp4"
            set_hostname = true
            receive_buffer_size = "8MiB"
            [udp.signer.ops_0]
            hmac_key = "key"
            """ + "\n" + Self.output)
        let plan = try #require(built.plan, "\(built.messages)")
        let input = try #require(plan.inputs.first?.plugin as? UdpInput)
        #expect(input.options.setHostname)
        #expect(input.options.listener.receiveBufferBytes == 8 << 20)
        #expect(plan.inputs[0].splitter(0) is HekaFramingSplitter)  // signers imply Heka frames
        let plain = Self.build("[udp]\ntype = \"UdpInput\"\naddress = \":0\"\n" + Self.output)
        #expect(try #require(plain.plan).inputs[0].splitter(0) is NullSplitter)
    }
}
