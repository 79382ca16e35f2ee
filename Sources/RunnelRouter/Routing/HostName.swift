/// The upstream name a `Host` header asks for: port stripped, lowercased, trailing dot dropped.
enum HostName {
    static func normalize(_ host: String) -> String {
        // Most hosts arrive already lowercase and without port or trailing dot: no copy then.
        let isPlain = host.utf8.allSatisfy { byte in
            byte != UInt8(ascii: ":") && byte != UInt8(ascii: "[") && !(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        } && host.utf8.last != UInt8(ascii: ".")
        if isPlain { return host }
        var bytes = Array(host.utf8)
        if bytes.first == UInt8(ascii: "[") {
            // IPv6 literal: keep the brackets' content, drop the port after them.
            if let close = bytes.firstIndex(of: UInt8(ascii: "]")) { bytes = Array(bytes[1..<close]) }
        } else if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), bytes.firstIndex(of: UInt8(ascii: ":")) == colon {
            bytes.removeSubrange(colon...)
        }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
            bytes[index] += 32
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
