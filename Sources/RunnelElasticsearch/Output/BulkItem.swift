import Glibc
import RunnelCore

/// One message encoded as a bulk item (action line + document line, both ending in `\n`), with
/// the batch it settles and how often it was sent.
///
/// While its request is out, `lines` is a slice of the request's body (encoded in place, never
/// copied per document); an item kept for a retry or a split owns its bytes (`detached()`), so a
/// few held items do not keep whole bodies alive.
struct BulkItem: Sendable {
    private(set) var lines: ArraySlice<UInt8>
    /// Bytes of the action line, newline excluded.
    let actionLength: Int
    let isCreate: Bool
    /// The action names an `_id`: a 409 on `create` then means "already stored".
    let hasID: Bool
    let tracker: BatchTracker
    let position: Int
    var attempts = 0

    /// Where an item's action line ends and what it asks for.
    struct Layout {
        var actionLength: Int
        var isCreate: Bool
        var hasID: Bool
    }

    init(lines: ArraySlice<UInt8>, layout: Layout, tracker: BatchTracker, position: Int, attempts: Int) {
        self.lines = lines
        actionLength = layout.actionLength
        isCreate = layout.isCreate
        hasID = layout.hasID
        self.tracker = tracker
        self.position = position
        self.attempts = attempts
    }

    /// Splits an encoder's output; nil when it is not an action line followed by a document.
    init?(encoded: [UInt8], tracker: BatchTracker, position: Int) {
        guard let layout = encoded.withUnsafeBytes(Layout.init) else { return nil }
        var lines = encoded
        if lines.last != UInt8(ascii: "\n") { lines.append(UInt8(ascii: "\n")) }
        self.init(lines: lines[...], layout: layout, tracker: tracker, position: position, attempts: 0)
    }

    var layout: Layout { Layout(actionLength: actionLength, isCreate: isCreate, hasID: hasID) }

    /// The same item holding its own bytes rather than a slice of a request body.
    func detached() -> BulkItem {
        var copy = self
        copy.lines = ArraySlice(Array(lines))
        return copy
    }

    var action: ArraySlice<UInt8> { lines[lines.startIndex..<(lines.startIndex + actionLength)] }
    /// The document line(s) without the final newline.
    var document: ArraySlice<UInt8> { lines[(lines.startIndex + actionLength + 1)..<(lines.endIndex - 1)] }
}

// In an extension, so that the memberwise initializer stays.
extension BulkItem.Layout {
    /// Reads an encoder's output; nil when it is not an action line followed by a document.
    init?(_ encoded: UnsafeRawBufferPointer) {
        guard let base = encoded.baseAddress, let found = memchr(base, Int32(UInt8(ascii: "\n")), encoded.count) else { return nil }
        let newline = UnsafeRawPointer(found) - base
        guard newline > 0, newline + 1 < encoded.count else { return nil }
        actionLength = newline
        isCreate = newline >= Self.createPrefix.count && memcmp(base, Self.createPrefix, Self.createPrefix.count) == 0
        hasID = Self.contains(Self.idKey, in: UnsafeRawBufferPointer(start: base, count: newline))
    }

    /// Whether `needle` (starting with a quote) occurs in `bytes`, hopping from quote to quote.
    private static func contains(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, let first = needle.first else { return false }
        var offset = 0
        while bytes.count - offset >= needle.count {
            guard let found = memchr(base + offset, Int32(first), bytes.count - offset - needle.count + 1) else { return false }
            offset = UnsafeRawPointer(found) - base
            if memcmp(base + offset, needle, needle.count) == 0 { return true }
            offset += 1
        }
        return false
    }

    private static let createPrefix = Array(#"{"create""#.utf8)
    private static let idKey = Array(#""_id""#.utf8)
}
