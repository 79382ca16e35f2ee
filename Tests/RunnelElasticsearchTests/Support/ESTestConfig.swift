import RunnelCore
import RunnelElasticsearch
import Testing

/// Builds plugin sections from TOML text through the real config loader and the registrations,
/// as the agent does.
enum ESTestConfig {
    static let registry = PluginRegistry(ElasticsearchPlugins.all)

    static func load(_ toml: String) throws -> RunnelConfig {
        let result = ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "test.toml")
        if !result.errors.isEmpty { Issue.record("config errors: \(result.errors.map(\.description))") }
        return try #require(result.config)
    }

    /// The errors loading or building `section` gives.
    static func buildErrors(_ toml: String, section: String) -> [String] {
        let result = ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "test.toml")
        if !result.errors.isEmpty { return result.errors.map(\.description) }
        guard let config = result.config, let plugin = config.plugin(named: section),
              let registration = registry.registration(for: plugin.typeName) else { return ["no section \(section)"] }
        do {
            _ = try registration.build(plugin, PluginBuildContext(global: config.global, hostname: "test-host"))
            return []
        } catch {
            return [error.description]
        }
    }

    static func encoder(_ toml: String, section: String) throws -> any Encoder {
        let config = try load(toml)
        let plugin = try #require(config.plugin(named: section))
        let registration = try #require(registry.registration(for: plugin.typeName))
        guard case .encoder(let encoder) = try registration.build(plugin, PluginBuildContext(global: config.global, hostname: "test-host")) else {
            Issue.record("\(section) is not an encoder")
            throw PluginBuildError("not an encoder")
        }
        return encoder
    }

    static func encode(_ encoder: any Encoder, _ message: Message) throws -> (action: String, document: String) {
        var buffer: [UInt8] = []
        try encoder.encode(message, into: &buffer)
        let lines = buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "two lines, each ending in a newline")
        return (String(decoding: lines[0], as: UTF8.self), String(decoding: lines.count > 1 ? lines[1] : [], as: UTF8.self))
    }
}

/// Messages the encoder tests share.
enum ESTestMessages {
    /// 2013-11-04T15:04:05.123Z
    static let timestamp: Int64 = 1_383_577_445_123_000_000

    static let nginx = Message(
        uuid: MessageUUID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210), timestamp: timestamp,
        type: "nginx.access", logger: "nginx", severity: 6, payload: "GET / HTTP/1.1", pid: 1234, hostname: "web-1",
        fields: [.integer("http.status", 200), .double("request_time", 0.003), .string("user_agent", "curl/7.1 \"q\"\n")])

    static func dockerLog(_ line: String, container: String = "0123456789ab", appID: String = "/web/api",
                          timestamp: Int64 = ESTestMessages.timestamp) -> Message {
        Message(uuid: .random(), timestamp: timestamp, type: "DockerLog", logger: "stdout", payload: ByteString(line),
                hostname: "node-1", fields: [.string("ContainerID", ByteString(container)), .string("ContainerName", "api.1"),
                                             .string("MARATHON_APP_ID", ByteString(appID))])
    }
}
