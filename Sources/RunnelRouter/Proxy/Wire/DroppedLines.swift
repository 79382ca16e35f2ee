import NIOCore

/// The header lines of a head that must not be forwarded, when there are at most two and
/// nothing else needs rewriting (the usual `Connection: keep-alive` from a server or a browser):
/// the head is then forwarded as the three blocks around them, without a second scan.
struct DroppedLines {
    private var first: Range<Int>?
    private var second: Range<Int>?
    /// More than two lines, or a rewrite the blocks cannot express: the caller re-scans.
    private(set) var needsScan = false

    mutating func add(_ line: Range<Int>) {
        if first == nil { first = line } else if second == nil { second = line } else { needsScan = true }
    }

    mutating func requireScan() { needsScan = true }

    var isEmpty: Bool { first == nil }

    /// Writes `raw[start..<end]` without the dropped lines.
    func copy(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int, into out: inout ByteBuffer) {
        var position = start
        if let first {
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[position..<first.lowerBound]))
            position = first.upperBound
        }
        if let second {
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[position..<second.lowerBound]))
            position = second.upperBound
        }
        out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[position..<end]))
    }
}
