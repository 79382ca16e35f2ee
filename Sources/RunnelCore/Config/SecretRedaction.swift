import Foundation

/// The last guard before diagnostics leave the loader: any text of a substituted secret still
/// present in a diagnostic (through a path the loader does not foresee) is replaced by
/// `<from %ENV[NAME]>`. Very short secrets are skipped: replacing every "a" in a sentence would
/// garble it while hiding little.
enum SecretRedaction {
    static let minimumLength = 3

    static func redact(_ diagnostics: [ConfigDiagnostic], secrets: [String: String]) -> [ConfigDiagnostic] {
        let ordered = secrets.filter { $0.value.count >= minimumLength }
            .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        guard !ordered.isEmpty else { return diagnostics }
        return diagnostics.map { diagnostic in
            var redacted = diagnostic
            for (variable, value) in ordered {
                let marker = "<from %ENV[\(variable)]>"
                redacted.message = redacted.message.replacingOccurrences(of: value, with: marker)
                redacted.suggestion = redacted.suggestion?.replacingOccurrences(of: value, with: marker)
                redacted.section = redacted.section?.replacingOccurrences(of: value, with: marker)
                redacted.key = redacted.key?.replacingOccurrences(of: value, with: marker)
            }
            return redacted
        }
    }
}
