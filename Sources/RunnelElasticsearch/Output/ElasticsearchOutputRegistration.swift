import RunnelCore
import RunnelHTTP

extension ElasticsearchOutput {
    static let tlsOptions: [OptionSpec] = [
        OptionSpec("root_cafile", .string, aliases: ["ca_file"], summary: "PEM file of the certificate authorities to trust (the system's when absent)."),
        OptionSpec("cert_file", .string, summary: "PEM client certificate, for clusters that require one."),
        OptionSpec("key_file", .string, summary: "PEM private key of the client certificate."),
        OptionSpec("insecure_skip_verify", .bool, default: false, summary: "Accept any server certificate and name (testing only)."),
        OptionSpec("server_name", .string, ignoredBecause: "libcurl checks the name in the server URL", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("client_cafile", .string, ignoredBecause: "it configures TLS servers, not clients", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("client_auth", .string, ignoredBecause: "it configures TLS servers, not clients", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("ciphers", .array(.string), ignoredBecause: "OpenSSL's defaults are used", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("prefer_server_ciphers", .bool, ignoredBecause: "it configures TLS servers, not clients", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("session_tickets_disabled", .bool, ignoredBecause: "libcurl manages TLS sessions", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("session_ticket_key", .string, ignoredBecause: "it configures TLS servers, not clients", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("min_version", .string, ignoredBecause: "OpenSSL's minimum (TLS 1.2) applies", summary: "Heka TLS option; accepted and ignored."),
        OptionSpec("max_version", .string, ignoredBecause: "OpenSSL's maximum applies", summary: "Heka TLS option; accepted and ignored."),
    ]

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "ElasticSearchOutput", category: .output,
            summary: "Bulk-indexes messages into Elasticsearch over libcurl (use ESJsonEncoder or ESLogstashV0Encoder); retries only the items that failed, dead-letters what Elasticsearch refuses for good.",
            options: [
                OptionSpec("server", .string, default: "http://localhost:9200", summary: "Elasticsearch URL (`http://` or `https://`)."),
                OptionSpec("servers", .array(.string), default: [],
                           summary: "Several URLs of one cluster; requests go to one, and move to the next after a connection failure, timeout or 5xx. Overrides `server`."),
                OptionSpec("flush_interval", .integer, default: 1000, summary: "Milliseconds after which gathered messages are sent even if `flush_count` and `flush_bytes` are not reached (Heka's unit)."),
                OptionSpec("flush_count", .integer, default: 5000,
                           summary: "Messages per bulk request. Heka's default was 10; Runnel's suits Elastic's sizing advice."),
                OptionSpec("flush_bytes", .byteSize, default: "5MiB", summary: "Bytes per bulk request (uncompressed)."),
                OptionSpec("connect_timeout", .integer, default: 10000, summary: "Milliseconds to resolve and connect; 0 means libcurl's default."),
                OptionSpec("http_timeout", .integer, default: 60000,
                           summary: "Milliseconds for a whole bulk request and its response; 0 waits for ever. A timed-out request is retried (Heka dropped it)."),
                OptionSpec("http_disable_keepalives", .bool, default: false, summary: "Use a new connection per request."),
                OptionSpec("username", .string, default: "", summary: "User for HTTP basic authentication."),
                OptionSpec("password", .string, default: "", summary: "Password for HTTP basic authentication (use `%ENV[…]`)."),
                OptionSpec("api_key", .string, default: "",
                           summary: "Elasticsearch API key (the base64 `id:key` form), sent as `Authorization: ApiKey …`; takes precedence over `username`."),
                OptionSpec("tls", .table(tlsOptions), summary: "TLS settings for `https` servers, as the sub-table `[NAME.tls]`; its options follow."),
                OptionSpec("gzip", .bool, default: false, summary: "Compress request bodies (`Content-Encoding: gzip`)."),
                OptionSpec("http_version", .string, default: "auto", allowed: ["auto", "1.1", "2", "2-prior-knowledge"],
                           summary: "HTTP version: `auto` (HTTP/2 over TLS when offered), `1.1`, `2`, or `2-prior-knowledge` (h2c)."),
                OptionSpec("max_in_flight", .integer, default: 8, summary: "Most bulk requests in flight; the adaptive limit moves between `min_in_flight` and this."),
                OptionSpec("min_in_flight", .integer, default: 1, summary: "Fewest bulk requests in flight the adaptive limit shrinks to."),
                OptionSpec("initial_in_flight", .integer, default: 2, summary: "Starting value of the adaptive limit."),
                OptionSpec("retry_delay", .duration, default: "100ms", summary: "First wait before resending a failed item or request; doubles per attempt."),
                OptionSpec("retry_max_delay", .duration, default: "30s", summary: "Longest wait between attempts."),
                OptionSpec("retry_max_jitter", .duration, default: "250ms", summary: "Random extra wait added to each retry, so retries spread out."),
                OptionSpec("dead_letter_path", .string,
                           summary: "File that receives documents Elasticsearch refuses for good (JSON lines with the action, the document and the error); default `<base_dir>/elasticsearch/<name>.dead-letter.ndjson`."),
                OptionSpec("max_held_bytes", .byteSize, default: 0,
                           summary: "Encoded bytes the output holds unconfirmed before it stops taking messages from its queue; 0 means `flush_bytes × (max_in_flight + 2)`."),
            ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        var options = Options(deadLetterPath: config.string("dead_letter_path")
                                ?? context.global.baseDir + "/elasticsearch/\(config.name).dead-letter.ndjson")
        let servers = config.strings("servers") ?? []
        options.servers = servers.isEmpty ? [config.string("server") ?? "http://localhost:9200"] : servers
        let tls = TLSOptions(caFile: config.string("tls.root_cafile"), certificateFile: config.string("tls.cert_file"),
                             keyFile: config.string("tls.key_file"), verifyPeer: !(config.bool("tls.insecure_skip_verify") ?? false),
                             verifyHost: !(config.bool("tls.insecure_skip_verify") ?? false))
        options.tls = tls
        for server in options.servers {
            do {
                let endpoint = try HTTPEndpoint(parsing: server, tls: tls)
                guard endpoint.unixSocketPath == nil else { throw PluginBuildError(key: servers.isEmpty ? "server" : "servers", "'\(server)': use an http:// or https:// URL") }
            } catch let error as HTTPEndpoint.ParseError {
                throw PluginBuildError(key: servers.isEmpty ? "server" : "servers", error.description)
            } catch let error as PluginBuildError {
                throw error
            } catch {
                throw PluginBuildError(key: "server", "\(error)")
            }
        }
        func milliseconds(_ key: String, _ fallback: Int) throws(PluginBuildError) -> Int {
            let value = config.integer(key) ?? fallback
            guard value >= 0 else { throw PluginBuildError(key: key, "must not be negative") }
            return value
        }
        options.flushInterval = .milliseconds(try milliseconds("flush_interval", 1000))
        options.flushCount = max(1, config.integer("flush_count") ?? 5000)
        options.flushBytes = max(1, config.byteSize("flush_bytes") ?? 5 << 20)
        let connect = try milliseconds("connect_timeout", 10000)
        options.connectTimeout = connect == 0 ? .seconds(300) : .milliseconds(connect)
        let timeout = try milliseconds("http_timeout", 60000)
        options.httpTimeout = timeout == 0 ? nil : .milliseconds(timeout)
        options.disableKeepAlives = config.bool("http_disable_keepalives") ?? false
        options.username = config.string("username").flatMap { $0.isEmpty ? nil : $0 }
        options.password = config.string("password")
        options.apiKey = config.string("api_key").flatMap { $0.isEmpty ? nil : $0 }
        options.gzip = config.bool("gzip") ?? false
        switch config.string("http_version") ?? "auto" {
        case "1.1": options.httpVersion = .http1_1
        case "2": options.httpVersion = .http2
        case "2-prior-knowledge": options.httpVersion = .http2PriorKnowledge
        default: options.httpVersion = .automatic
        }
        options.maxConcurrency = max(1, config.integer("max_in_flight") ?? 8)
        options.minConcurrency = min(options.maxConcurrency, max(1, config.integer("min_in_flight") ?? 1))
        options.initialConcurrency = config.integer("initial_in_flight") ?? 2
        options.retry = RetryPolicy(delay: config.duration("retry_delay") ?? .milliseconds(100),
                                    maxDelay: config.duration("retry_max_delay") ?? .seconds(30),
                                    maxJitter: config.duration("retry_max_jitter") ?? .milliseconds(250), maxRetries: -1)
        options.maxHeldBytes = config.byteSize("max_held_bytes") ?? 0
        return .output(ElasticsearchOutput(options: options))
    }
}
