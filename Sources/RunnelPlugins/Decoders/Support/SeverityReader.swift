import RunnelCore

/// Turns severity text into Heka's syslog-style number: first through `severity_map` (exact
/// text, as Heka did), then as an integer, then, beyond Heka, the usual level names in any case
/// (`error`, `WARN`, `Information`, …) so common logs need no map.
struct SeverityReader: Sendable {
    let map: [ByteString: Int32]

    init(map: [ByteString: Int32] = [:]) {
        self.map = map
    }

    /// Reads `[X.severity_map]`: names to integers.
    init(config table: ConfigTable?) throws(PluginBuildError) {
        var map: [ByteString: Int32] = [:]
        for entry in table?.entries ?? [] {
            guard let number = entry.value.integerValue, let severity = Int32(exactly: number) else {
                throw PluginBuildError(key: "severity_map.\(entry.key)", "must be an integer severity (0 emergency … 7 debug)")
            }
            map[ByteString(entry.key)] = severity
        }
        self.init(map: map)
    }

    func severity<C: Collection<UInt8>>(_ text: C) -> Int32? {
        if !map.isEmpty, let mapped = map[ByteString(bytes: text)] { return mapped }
        if let number = asciiInt32(text) { return number }
        guard text.count <= 16 else { return nil }
        return Self.levelNames[String(decoding: text, as: UTF8.self).lowercased()]
    }

    static let levelNames: [String: Int32] = [
        "emerg": 0, "emergency": 0, "panic": 0,
        "alert": 1,
        "crit": 2, "critical": 2, "fatal": 2,
        "err": 3, "error": 3,
        "warn": 4, "warning": 4,
        "notice": 5,
        "info": 6, "information": 6, "informational": 6,
        "debug": 7, "trace": 7,
    ]
}
