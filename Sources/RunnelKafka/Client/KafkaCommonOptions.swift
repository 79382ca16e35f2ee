import CRdKafka
import RunnelCore

/// Options KafkaOutput and KafkaInput share (Heka's shared Kafka client options), and how each maps
/// onto librdkafka properties.
enum KafkaCommonOptions {
    static let tlsTable: [OptionSpec] = [
        OptionSpec("cert_file", .string, summary: "Client certificate (PEM path): `ssl.certificate.location`."),
        OptionSpec("key_file", .string, summary: "Private key of `cert_file` (PEM path): `ssl.key.location`."),
        OptionSpec("root_cafile", .string, summary: "CA bundle the broker certificates must chain to: `ssl.ca.location`."),
        OptionSpec("insecure_skip_verify", .bool, default: false,
                   summary: "Accept any broker certificate (testing only): `enable.ssl.certificate.verification = false`."),
        OptionSpec("server_name", .string, ignoredBecause: "librdkafka checks the broker's advertised host name itself",
                   summary: "Accepted for Heka compatibility."),
        OptionSpec("ciphers", .array(.string), summary: "Cipher suites (OpenSSL names): `ssl.cipher.suites`."),
        OptionSpec("min_version", .string, ignoredBecause: "librdkafka uses OpenSSL's protocol defaults", summary: "Accepted for Heka compatibility."),
        OptionSpec("max_version", .string, ignoredBecause: "librdkafka uses OpenSSL's protocol defaults", summary: "Accepted for Heka compatibility."),
        OptionSpec("client_auth", .string, ignoredBecause: "it applies to TLS servers only", summary: "Accepted for Heka compatibility."),
        OptionSpec("prefer_server_ciphers", .bool, ignoredBecause: "it applies to TLS servers only", summary: "Accepted for Heka compatibility."),
        OptionSpec("session_tickets_disabled", .bool, ignoredBecause: "it applies to TLS servers only", summary: "Accepted for Heka compatibility."),
        OptionSpec("session_ticket_key", .string, ignoredBecause: "it applies to TLS servers only", summary: "Accepted for Heka compatibility."),
        OptionSpec("client_cafile", .string, ignoredBecause: "it applies to TLS servers only", summary: "Accepted for Heka compatibility."),
    ]

    static let specs: [OptionSpec] = [
        OptionSpec("addrs", .array(.string), required: true, aliases: ["brokers"],
                   summary: "Broker addresses `host:port` to bootstrap from (`bootstrap.servers`); `brokers` is accepted too."),
        OptionSpec("id", .string, summary: "Client id (`client.id`); defaults to the host name."),
        OptionSpec("metadata_retries", .integer, ignoredBecause: "librdkafka retries metadata requests itself",
                   summary: "Accepted for Heka compatibility."),
        OptionSpec("wait_for_election", .integer, ignoredBecause: "librdkafka follows leader elections itself",
                   summary: "Accepted for Heka compatibility."),
        OptionSpec("background_refresh_frequency", .integer,
                   summary: "Milliseconds between metadata refreshes (`topic.metadata.refresh.interval.ms`)."),
        OptionSpec("max_open_reqests", .integer, aliases: ["max_open_requests"],
                   summary: "Requests in flight per broker connection (`max.in.flight.requests.per.connection`; at most 5 with idempotence). Heka's spelling is kept."),
        OptionSpec("dial_timeout", .integer, summary: "Milliseconds to establish a connection (`socket.connection.setup.timeout.ms`)."),
        OptionSpec("read_timeout", .integer, summary: "Milliseconds a network request may take (`socket.timeout.ms`)."),
        OptionSpec("write_timeout", .integer, summary: "Milliseconds a network request may take (`socket.timeout.ms`; the larger of the two timeouts applies)."),
        OptionSpec("keep_alive", .bool, summary: "TCP keep-alive on broker connections (`socket.keepalive.enable`)."),
        OptionSpec("use_tls", .bool, default: false, summary: "Connect to the brokers with TLS (`security.protocol = ssl`)."),
        OptionSpec("tls", .table(tlsTable), summary: "TLS settings as the sub-table `[NAME.tls]`, used with `use_tls`; its options follow."),
        OptionSpec("librdkafka", .any,
                   summary: "Sub-table `[NAME.librdkafka]` of librdkafka properties passed verbatim, applied last (SASL, `ssl.*`, `linger.ms`, `batch.size`, …); an unknown property, a bad value or a conflicting pair (as librdkafka would refuse it when making its client) is a configuration error at start."),
    ]

    /// The properties the shared options set, on top of `properties`.
    static func apply(_ config: PluginInstanceConfig, hostname: String, to properties: inout KafkaProperties) throws(PluginBuildError) {
        let brokers = config.strings("addrs") ?? []
        guard !brokers.isEmpty else { throw PluginBuildError(key: "addrs", "needs at least one broker address") }
        properties.set("bootstrap.servers", brokers.joined(separator: ","))
        properties.set("client.id", config.string("id") ?? hostname)
        if let refresh = config.integer("background_refresh_frequency") {
            properties.set("topic.metadata.refresh.interval.ms", refresh == 0 ? "-1" : String(refresh))
        }
        if let open = config.integer("max_open_reqests") { properties.set("max.in.flight.requests.per.connection", String(open)) }
        if let dial = config.integer("dial_timeout") { properties.set("socket.connection.setup.timeout.ms", String(dial)) }
        let timeouts = [config.integer("read_timeout"), config.integer("write_timeout")].compactMap { $0 }
        if let longest = timeouts.max() { properties.set("socket.timeout.ms", String(longest)) }
        if let keepAlive = config.bool("keep_alive") { properties.set("socket.keepalive.enable", String(keepAlive)) }
        if config.bool("use_tls") == true {
            properties.set("security.protocol", "ssl")
            if let cert = config.string("tls.cert_file") { properties.set("ssl.certificate.location", cert) }
            if let key = config.string("tls.key_file") { properties.set("ssl.key.location", key) }
            if let ca = config.string("tls.root_cafile") { properties.set("ssl.ca.location", ca) }
            if config.bool("tls.insecure_skip_verify") == true { properties.set("enable.ssl.certificate.verification", "false") }
            if let ciphers = config.strings("tls.ciphers"), !ciphers.isEmpty { properties.set("ssl.cipher.suites", ciphers.joined(separator: ":")) }
        }
    }

    /// `[X.librdkafka]`, applied last and verbatim (scalars as librdkafka's text form).
    static func applyPassthrough(_ config: PluginInstanceConfig, to properties: inout KafkaProperties) throws(PluginBuildError) {
        guard let value = config.value(at: "librdkafka") else { return }
        guard let table = value.tableValue else { throw PluginBuildError(key: "librdkafka", "must be a table of librdkafka properties") }
        for entry in table.entries {
            switch entry.value.content {
            case .string(let text): properties.set(entry.key, text)
            case .integer(let number): properties.set(entry.key, String(number))
            case .double(let number): properties.set(entry.key, String(number))
            case .bool(let flag): properties.set(entry.key, String(flag))
            default: throw PluginBuildError(key: "librdkafka.\(entry.key)", "must be a string, number or boolean")
            }
        }
    }

    /// Refuses, at configuration time, properties librdkafka does not know or would not make a
    /// client of (`type`: producer or consumer).
    static func validate(_ properties: KafkaProperties, as type: rd_kafka_type_t) throws(PluginBuildError) {
        do {
            try properties.validate(as: type)
        } catch {
            throw PluginBuildError(key: "librdkafka", error.description)
        }
    }
}
