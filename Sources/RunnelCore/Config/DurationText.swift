import Foundation

/// Reads durations written as Go-style strings: one or more number-unit pairs such as `250ms`,
/// `1m30s`, `1.5h` (units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`).
enum DurationText {
    /// The duration, or a reason the text is not one.
    static func parse(_ text: String) -> Result<Duration, ConfigUnitError> {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.hasPrefix("-") { return .failure(ConfigUnitError("a duration cannot be negative")) }
        if rest.hasPrefix("+") { rest.removeFirst() }
        guard !rest.isEmpty else { return .failure(ConfigUnitError("the text is empty")) }
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let amount = Double(number) else {
                return .failure(ConfigUnitError("expected a number at '\(rest)'"))
            }
            rest = rest.dropFirst(number.count).drop { $0 == " " }
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) && $0 != " " }
            rest = rest.dropFirst(unit.count).drop { $0 == " " }
            guard let scale = unitSeconds[String(unit)] else {
                let reason = unit.isEmpty ? "a unit is missing after \(number) (ns, us, ms, s, m, h)"
                    : "unknown unit '\(unit)' (ns, us, ms, s, m, h)"
                return .failure(ConfigUnitError(reason))
            }
            seconds += amount * scale
        }
        return duration(seconds: seconds)
    }

    /// A duration from a number of seconds, refusing negative and absurd values.
    static func duration(seconds: Double) -> Result<Duration, ConfigUnitError> {
        guard seconds.isFinite, seconds >= 0 else { return .failure(ConfigUnitError("a duration cannot be negative")) }
        guard seconds < 1e10 else { return .failure(ConfigUnitError("the duration is too long")) }
        let whole = seconds.rounded(.down)
        let nanoseconds = ((seconds - whole) * 1e9).rounded()
        return .success(.seconds(Int64(whole)) + .nanoseconds(Int64(nanoseconds)))
    }

    private static let unitSeconds: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]
}

/// Why a duration or byte size could not be read.
struct ConfigUnitError: Error, Sendable, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
