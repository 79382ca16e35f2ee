import RunnelCore

/// One message encoded as a bulk item (action line + document line, both ending in `\n`), with
/// the batch it settles and how often it was sent.
struct BulkItem: Sendable {
    let lines: [UInt8]
    /// Bytes of the action line, newline excluded.
    let actionLength: Int
    let isCreate: Bool
    /// The action names an `_id`: a 409 on `create` then means "already stored".
    let hasID: Bool
    let tracker: BatchTracker
    let position: Int
    var attempts = 0

    /// Splits an encoder's output; nil when it is not an action line followed by a document.
    init?(encoded: [UInt8], tracker: BatchTracker, position: Int) {
        guard let newline = encoded.firstIndex(of: UInt8(ascii: "\n")), newline > 0, newline + 1 < encoded.count else { return nil }
        var lines = encoded
        if lines.last != UInt8(ascii: "\n") { lines.append(UInt8(ascii: "\n")) }
        self.lines = lines
        actionLength = newline
        isCreate = Self.startsWith(lines, Self.createPrefix)
        hasID = Self.contains(lines[..<newline], Self.idKey)
        self.tracker = tracker
        self.position = position
    }

    var action: ArraySlice<UInt8> { lines[..<actionLength] }
    /// The document line(s) without the final newline.
    var document: ArraySlice<UInt8> { lines[(actionLength + 1)..<(lines.count - 1)] }

    private static let createPrefix = Array(#"{"create""#.utf8)
    private static let idKey = Array(#""_id""#.utf8)

    private static func startsWith(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && bytes[..<prefix.count].elementsEqual(prefix)
    }

    private static func contains(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count, let first = needle.first else { return false }
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                var index = 0
                while index <= haystack.count - needle.count {
                    if haystack[index] == first {
                        var offset = 1
                        while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                        if offset == needle.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
