/// Every plugin type Heka shipped (its `RegisterPlugin` calls across releases), so a config
/// naming one Runnel lacks is told exactly that instead of "unknown type".
public enum HekaPluginTypes {
    public static let all: Set<String> = [
        // Inputs
        "AMQPInput", "DockerEventInput", "DockerLogInput", "DockerStatsInput", "FilePollingInput", "HttpInput",
        "HttpListenInput", "KafkaInput", "LogstreamerInput", "LogfileInput", "LogfileDirectoryManagerInput",
        "ProcessInput", "ProcessDirectoryInput", "SandboxInput", "StatAccumInput", "StatsdInput", "StatsdUdpInput",
        "TcpInput", "UdpInput",
        // Splitters
        "HekaFramingSplitter", "NullSplitter", "PatternGroupingSplitter", "RegexSplitter", "TokenSplitter",
        // Decoders
        "GeoIpDecoder", "JsonDecoder", "MsgPackDecoder", "MultiDecoder", "PayloadJsonDecoder", "PayloadRegexDecoder",
        "PayloadXmlDecoder", "ProtobufDecoder", "ProtocolBufferDecoder", "SandboxDecoder", "ScribbleDecoder",
        "StatsToFieldsDecoder",
        // Filters
        "CounterFilter", "PassThruFilter", "SandboxFilter", "SandboxManagerFilter", "StatFilter",
        // Encoders
        "ESJsonEncoder", "ESLogstashV0Encoder", "PayloadEncoder", "ProtobufEncoder", "RstEncoder", "SandboxEncoder",
        // Outputs
        "AMQPOutput", "CarbonOutput", "CounterOutput", "DashboardOutput", "ElasticSearchOutput", "FileOutput",
        "HttpOutput", "IrcOutput", "KafkaOutput", "LogOutput", "NagiosOutput", "SandboxOutput", "SmtpOutput",
        "TcpOutput", "UdpOutput", "WhisperOutput",
    ]

    private static let luaSandboxTypes: Set<String> = [
        "SandboxInput", "SandboxDecoder", "SandboxFilter", "SandboxEncoder", "SandboxOutput", "SandboxManagerFilter",
    ]

    /// Runnel types that replace a Heka type, offered when the catalog has them.
    private static let replacements: [String: String] = [
        "LogfileInput": "LogstreamerInput",
        "LogfileDirectoryManagerInput": "LogstreamerInput",
        "ProtocolBufferDecoder": "ProtobufDecoder",
        "StatsdUdpInput": "StatsdInput",
        "PayloadJsonDecoder": "JsonDecoder",
    ]

    /// A hint to print after "Runnel does not implement" for `type`, if there is one.
    static func hint(for type: String, catalog: PluginCatalog) -> String? {
        if luaSandboxTypes.contains(type) {
            return "Runnel has no Lua sandbox; its plugins are built in"
        }
        if type == "DashboardOutput" {
            return "Runnel's own status page and /metrics are served on the global admin_address"
        }
        if let replacement = replacements[type], catalog.schema(for: replacement) != nil {
            return "use '\(replacement)' instead"
        }
        return nil
    }
}
