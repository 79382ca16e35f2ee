import RunnelCore

/// Heka's `use_tls` and `[X.tls]` (docs: tls.rst). This build of Runnel has no TLS stack (it would
/// need swift-nio-ssl and BoringSSL), so the options are accepted and validated, and `use_tls =
/// true` fails the build of the plugin with a clear error instead of silently sending plaintext.
enum TLSOptions {
    static let versions: [ConfigValue] = ["SSL30", "TLS10", "TLS11", "TLS12"]

    static let table: [OptionSpec] = [
        OptionSpec("server_name", .string, summary: "Client: server name sent in the handshake (SNI)."),
        OptionSpec("cert_file", .string, summary: "Certificate presented to the other side (PEM path)."),
        OptionSpec("key_file", .string, summary: "Private key of `cert_file` (PEM path)."),
        OptionSpec("client_auth", .string, default: "NoClientCert",
                   allowed: ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
                             "RequireAndVerifyClientCert"],
                   summary: "Server: policy for client certificates."),
        OptionSpec("ciphers", .array(.string), summary: "Cipher suites in order of preference."),
        OptionSpec("insecure_skip_verify", .bool, default: false, summary: "Client: accept any server certificate (testing only)."),
        OptionSpec("prefer_server_ciphers", .bool, default: true, summary: "Server: prefer its own cipher order."),
        OptionSpec("session_tickets_disabled", .bool, default: false, summary: "Server: disable RFC 5077 session resumption."),
        OptionSpec("session_ticket_key", .string, summary: "Server: key for session tickets."),
        OptionSpec("min_version", .string, default: "SSL30", allowed: versions, summary: "Lowest protocol version accepted."),
        OptionSpec("max_version", .string, default: "TLS12", allowed: versions, summary: "Highest protocol version accepted."),
        OptionSpec("client_cafile", .string, summary: "Server: CA bundle that client certificates must chain to."),
        OptionSpec("root_cafile", .string, summary: "Client: CA bundle that the server certificate must chain to."),
    ]

    static let specs: [OptionSpec] = [
        OptionSpec("use_tls", .bool, default: false,
                   summary: "Encrypt connections with TLS. Not built into this runnel: `true` is a configuration error; terminate TLS in front of Runnel (stunnel, haproxy) instead."),
        OptionSpec("tls", .table(table), summary: "TLS settings as the sub-table `[NAME.tls]` (Heka's TlsConfig); used only with `use_tls`."),
    ]

    /// Refuses `use_tls = true`, naming the option.
    static func rejectIfRequested(_ config: PluginInstanceConfig) throws(PluginBuildError) {
        guard config.bool("use_tls") == true else { return }
        throw PluginBuildError(key: "use_tls", "TLS is not built into this runnel (it needs swift-nio-ssl); set use_tls = false and terminate TLS in front of it (stunnel, haproxy)")
    }
}
