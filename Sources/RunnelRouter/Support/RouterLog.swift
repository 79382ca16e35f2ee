import Foundation

/// The router's own log: one line per event on stderr (never one per proxied request; the
/// access log is separate).
enum RouterLog {
    static func info(_ message: String) { write("info", message) }
    static func warning(_ message: String) { write("warning", message) }

    private static func write(_ level: String, _ message: String) {
        let line = "\(Date().ISO8601Format()) runnel-router \(level): \(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
