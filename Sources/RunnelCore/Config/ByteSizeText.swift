import Foundation

/// Reads byte sizes written as strings: a number, optional spaces and a unit such as `64MiB`,
/// `1.5 GB` or `512k`. Binary units (`KiB`/`K`, `MiB`/`M`, …) are powers of 1024, decimal ones
/// (`KB`, `MB`, …) powers of 1000; units are case-insensitive; no unit means bytes.
enum ByteSizeText {
    static func parse(_ text: String) -> Result<Int, ConfigUnitError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }
        guard !number.isEmpty, let amount = Double(number) else {
            return .failure(ConfigUnitError("expected a number followed by a unit such as KiB, MiB or GiB"))
        }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let scale = unitBytes[unit] else {
            return .failure(ConfigUnitError("unknown unit '\(unit)' (B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)"))
        }
        return bytes(amount * scale)
    }

    static func bytes(_ amount: Double) -> Result<Int, ConfigUnitError> {
        guard amount >= 0 else { return .failure(ConfigUnitError("a size cannot be negative")) }
        guard amount < 9.2e18 else { return .failure(ConfigUnitError("the size is too large")) }
        return .success(Int(amount.rounded(.down)))
    }

    private static let unitBytes: [String: Double] = {
        var table: [String: Double] = ["": 1, "b": 1]
        for (power, letter) in ["k", "m", "g", "t"].enumerated() {
            let binary = pow1024(power + 1), decimal = pow1000(power + 1)
            table[letter] = binary
            table[letter + "ib"] = binary
            table[letter + "b"] = decimal
        }
        return table
    }()

    private static func pow1024(_ exponent: Int) -> Double { (0..<exponent).reduce(1.0) { value, _ in value * 1024 } }
    private static func pow1000(_ exponent: Int) -> Double { (0..<exponent).reduce(1.0) { value, _ in value * 1000 } }
}
