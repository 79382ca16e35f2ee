import Foundation
import RunnelCore
import RunnelKafka
import RunnelPlugins

/// Builds Kafka plugin sections from TOML text through the real loader and registry.
enum KafkaConfigFixture {
    static let registry = PluginRegistry(StandardPlugins.all + KafkaPlugins.all)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func section(_ toml: String, named name: String) throws -> (PluginInstanceConfig, PluginBuildContext) {
        let result = ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "test.toml")
        guard let config = result.config, let section = config.plugin(named: name) else {
            throw Failure(description: result.errors.map(\.description).joined(separator: "\n"))
        }
        return (section, PluginBuildContext(global: config.global, hostname: "test-host"))
    }

    /// Load errors (not build errors) as text.
    static func loadErrors(_ toml: String) -> [String] {
        ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: toml, fileName: "test.toml").errors.map(\.description)
    }

    static func output(_ body: String, name: String = "kafka") throws -> KafkaOutputSettings {
        let (section, context) = try section("[\(name)]\ntype = \"KafkaOutput\"\nmessage_matcher = \"TRUE\"\n" + body, named: name)
        return try KafkaOutputSettings(config: section, context: context)
    }

    static func input(_ body: String, name: String = "consume") throws -> KafkaInputSettings {
        let (section, context) = try section("[\(name)]\ntype = \"KafkaInput\"\n" + body, named: name)
        return try KafkaInputSettings(config: section, context: context)
    }
}

extension Message {
    static func app(_ app: String?, payload: String, fields: [Field] = []) -> Message {
        var message = Message()
        message.uuid = .random()
        message.timestamp = 1_700_000_000_000_000_000
        message.type = "test"
        message.payload = ByteString(payload)
        if let app { message.addField(.string("MARATHON_APP_ID", ByteString(app))) }
        for field in fields { message.addField(field) }
        return message
    }
}
