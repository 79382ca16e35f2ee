/// Makes a rendered index name legal for Elasticsearch: lower case; the characters Elasticsearch
/// forbids (`\ / * ? " < > | , #`, space, control bytes, `:`) become `-`; runs of `-` collapse; no
/// leading `-`, `_` or `+`; never `.` or `..`; at most 255 bytes (cut on a UTF-8 boundary).
/// `/web/api-2026.11.25` becomes `web-api-2026.11.25`. A name with nothing left is `unnamed`.
public enum ESIndexName {
    public static let maxBytes = 255

    public static func sanitize(_ raw: [UInt8]) -> [UInt8] {
        if isAlreadyLegal(raw) { return raw }
        // Elasticsearch lower-cases beyond ASCII too; the rare non-ASCII name takes the slow path.
        let raw = raw.contains(where: { $0 >= 0x80 }) ? Array(String(decoding: raw, as: UTF8.self).lowercased().utf8) : raw
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        for byte in raw {
            var byte = byte
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if isForbidden(byte) { byte = UInt8(ascii: "-") }
            if byte == UInt8(ascii: "-") && out.last == UInt8(ascii: "-") { continue }
            if out.isEmpty && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")) { continue }
            out.append(byte)
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        if out.count > maxBytes {
            var cut = maxBytes
            // Back up over UTF-8 continuation bytes so the name stays valid text.
            while cut > 0 && out[cut] & 0xC0 == 0x80 { cut -= 1 }
            out.removeSubrange(cut...)
        }
        if out.isEmpty || out == [UInt8(ascii: ".")] || out == [UInt8(ascii: "."), UInt8(ascii: ".")] {
            return Array("unnamed".utf8)
        }
        return out
    }

    public static func sanitize(_ text: String) -> String {
        String(decoding: sanitize(Array(text.utf8)), as: UTF8.self)
    }

    /// The common case, checked without building a copy: lower-case ASCII, nothing forbidden.
    static func isAlreadyLegal(_ raw: [UInt8]) -> Bool {
        guard let first = raw.first, raw.count <= maxBytes, first != UInt8(ascii: "-"), first != UInt8(ascii: "_"),
              first != UInt8(ascii: "+"), raw.last != UInt8(ascii: "-") else { return false }
        var previous: UInt8 = 0
        for byte in raw {
            if byte >= 0x80 || isForbidden(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { return false }
            if byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-") { return false }
            previous = byte
        }
        return raw != [UInt8(ascii: ".")] && raw != [UInt8(ascii: "."), UInt8(ascii: ".")]
    }

    @inline(__always)
    static func isForbidden(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x21, 0x7F, UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "*"), UInt8(ascii: "?"),
             UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: ","),
             UInt8(ascii: "#"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }
}
