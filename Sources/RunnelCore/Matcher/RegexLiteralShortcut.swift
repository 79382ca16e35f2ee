/// Recognises regexes that are a plain literal, optionally anchored, so they can be answered with a
/// byte comparison instead of PCRE2: `/^abc/` (prefix), `/abc$/` (suffix), `/^abc$/` (equality),
/// `/abc/` (substring). Escaped punctuation (`\.`, `\$`, `\\`) counts as literal.
///
/// The answers equal PCRE2's under Runnel's options: `$` matches only at the very end
/// (PCRE2_DOLLAR_ENDONLY), and a literal made of whole UTF-8 characters matches the same bytes in
/// UTF mode as it does bytewise.
enum RegexLiteralShortcut {
    static func test(for pattern: [UInt8]) -> BytePredicate.Test? {
        var index = pattern.startIndex
        var anchoredStart = false
        if index < pattern.endIndex, pattern[index] == UInt8(ascii: "^") {
            anchoredStart = true
            index += 1
        }
        var literal: [UInt8] = []
        var anchoredEnd = false
        while index < pattern.endIndex {
            let byte = pattern[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < pattern.endIndex, isASCIIPunctuation(pattern[index + 1]) else { return nil }
                literal.append(pattern[index + 1])
                index += 2
                continue
            }
            if byte == UInt8(ascii: "$"), index == pattern.endIndex - 1 {
                anchoredEnd = true
                index += 1
                continue
            }
            if isMetacharacter(byte) { return nil }
            literal.append(byte)
            index += 1
        }
        switch (anchoredStart, anchoredEnd) {
        case (true, true): return .equal(literal)
        case (true, false): return .prefix(literal)
        case (false, true): return .suffix(literal)
        case (false, false): return .contains(literal)
        }
    }

    private static func isMetacharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "|"), UInt8(ascii: "?"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"):
            return true
        default:
            return byte < 0x20 || byte == 0x7F
        }
    }

    private static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte)
            || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}
