/// What request and response heads alike say about the body's framing and the connection
/// (RFC 9112 §6, §9.6), and which of their lines are hop-by-hop, gathered during the one pass
/// over the head.
struct FramingFields {
    private(set) var contentLength: Int?
    private(set) var transferEncoding = false
    /// The last transfer coding is `chunked`.
    private(set) var chunked = false
    private(set) var connectionClose = false
    private(set) var connectionKeepAlive = false
    /// Header lines not forwarded.
    var dropped = DroppedLines()

    /// Takes a header this type reads; false for any other.
    mutating func take(_ name: HeaderName, _ raw: UnsafeRawBufferPointer,
                       nameStart: Int, valueStart: Int, valueEnd: Int, lineEnd: Int) throws -> Bool {
        switch name {
        case .contentLength:
            guard let length = HeadScanner.decimal(raw, valueStart, valueEnd), contentLength == nil || contentLength == length else {
                throw HeadError(offset: valueStart, message: "invalid Content-Length")
            }
            contentLength = length
        case .transferEncoding:
            transferEncoding = true
            chunked = HeadScanner.endsWithChunked(raw, valueStart, valueEnd)
        case .connection:
            dropped.add(nameStart..<lineEnd)
            HeadScanner.forEachListItem(raw, valueStart, valueEnd) { start, end in
                if HeadScanner.equals(raw, start, end, "close") {
                    connectionClose = true
                } else if HeadScanner.equals(raw, start, end, "keep-alive") {
                    connectionKeepAlive = true
                } else {
                    dropped.requireScan()  // names more headers to drop
                }
            }
        case .hopByHop:
            dropped.add(nameStart..<lineEnd)
        default:
            return false
        }
        return true
    }

    /// The sender keeps the connection open after this message (HTTP/1.0 only when asked).
    func keepsConnection(minorVersion: Int) -> Bool {
        minorVersion > 0 ? !connectionClose : connectionKeepAlive && !connectionClose
    }
}
