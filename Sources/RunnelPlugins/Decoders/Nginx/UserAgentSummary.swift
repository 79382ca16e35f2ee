import RunnelCore

/// A coarse reading of a User-Agent header, as Heka's nginx decoder offered with
/// `user_agent_transform`: the browser family, its major version and the operating system, found
/// by looking for well-known product tokens. It is deliberately rough (a Chromium-based browser
/// reads as Chrome); it is meant for dashboards, not for exact client statistics.
struct UserAgentSummary: Equatable {
    var browser: ByteString?
    var version: Int64?
    var os: ByteString?

    /// Token in the header → operating system, first hit wins (order matters: iPhone before Linux…).
    private static let systems: [(token: [UInt8], name: ByteString)] = [
        ("iPod", "iPod"), ("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"),
        ("BlackBerry", "BlackBerry"), ("Linux", "Linux"), ("Macintosh", "Macintosh"),
        ("Mozilla/5.0 (Mobile;", "FirefoxOS"),
        ("Windows NT 10.0", "Windows 10"), ("Windows NT 6.3", "Windows 8.1"), ("Windows NT 6.2", "Windows 8"),
        ("Windows NT 6.1", "Windows 7"), ("Windows NT 6.0", "Windows Vista"), ("Windows NT 5.1", "Windows XP"),
        ("Windows NT 5.0", "Windows 2000"),
    ].map { (Array($0.0.utf8), ByteString($0.1)) }

    /// Browser token, and the text after which its major version follows (nil: after the last '/').
    private static let browsers: [(token: [UInt8], versionAfter: [UInt8]?)] = [
        ("Chrome", "Chrome/"), ("Opera Mini", nil), ("Opera Mobi", nil), ("Opera", nil),
        ("MSIE", "MSIE "), ("Safari", nil), ("Firefox", "Firefox/"),
    ].map { (Array($0.0.utf8), $0.1.map { Array($0.utf8) }) }

    init(_ agent: [UInt8]) {
        os = Self.systems.first { Self.range(of: $0.token, in: agent) != nil }?.name
        for (token, versionAfter) in Self.browsers where Self.range(of: token, in: agent) != nil {
            browser = ByteString(token)
            if let versionAfter {
                version = Self.range(of: versionAfter, in: agent).flatMap { Self.leadingNumber(agent[$0.upperBound...]) }
            } else if let slash = agent.lastIndex(of: UInt8(ascii: "/")) {
                version = Self.leadingNumber(agent[(slash + 1)...])
            }
            break
        }
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }

    private static func leadingNumber(_ text: ArraySlice<UInt8>) -> Int64? {
        let digits = text.prefix { $0 >= 0x30 && $0 <= 0x39 }.prefix(9)
        return digits.isEmpty ? nil : asciiInteger(digits)
    }
}
