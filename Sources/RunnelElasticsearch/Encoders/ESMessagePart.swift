/// What a document may hold (Heka's `fields` option): the header variables and the dynamic fields.
public enum ESMessagePart: String, Sendable, CaseIterable {
    case uuid = "Uuid", timestamp = "Timestamp", type = "Type", logger = "Logger", severity = "Severity"
    case payload = "Payload", envVersion = "EnvVersion", pid = "Pid", hostname = "Hostname"
    case dynamicFields = "DynamicFields"

    /// Heka's order, the default.
    public static let all: [ESMessagePart] = allCases

    /// Case-insensitive, as Heka read them; `Fields` is Heka's old spelling of `DynamicFields`.
    public init?(configName: String) {
        let lowered = configName.lowercased()
        if lowered == "fields" {
            self = .dynamicFields
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = match
    }
}
