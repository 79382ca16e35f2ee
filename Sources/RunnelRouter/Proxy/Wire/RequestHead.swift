import NIOCore

/// A client's request head, left as the bytes it arrived in, with the positions and facts the
/// router acts on found in one strict pass (RFC 9112 §3, §5, §6). Everything else stays bytes and is
/// forwarded as it came.
struct RequestHead {
    enum Method { case get, head, otherIdempotent, other }

    /// The whole head, request line through the blank line; positions below index into it.
    let bytes: ByteBuffer
    private(set) var methodEnd = 0
    private(set) var targetStart = 0
    private(set) var targetEnd = 0
    /// Where the first header line starts.
    private(set) var headersStart = 0
    private(set) var minorVersion = 1
    private(set) var method = Method.other
    private(set) var hostValue: Range<Int>?
    private(set) var requestIDValue: Range<Int>?
    private(set) var contentLength: Int?
    private(set) var chunked = false
    private(set) var connectionClose = false
    private(set) var connectionKeepAlive = false
    private(set) var expectsContinue = false
    /// Header lines not forwarded upstream (hop-by-hop, `Expect`, `X-Forwarded-Proto`); a
    /// client's `X-Forwarded-For` (merged) or `Connection` options require a re-scan.
    private(set) var dropped = DroppedLines()

    private init(bytes: ByteBuffer) { self.bytes = bytes }

    /// Parses `bytes`, which hold exactly one head (as found by `HeadScanner.headLength`).
    static func parse(_ bytes: ByteBuffer) throws -> RequestHead {
        var head = RequestHead(bytes: bytes)
        try bytes.withUnsafeReadableBytes { raw in try head.read(raw) }
        return head
    }

    private mutating func read(_ raw: UnsafeRawBufferPointer) throws {
        let count = raw.count
        var index = 0
        while index < count && HeadScanner.isToken(raw[index]) { index += 1 }
        guard index > 0, index < count, raw[index] == HeadScanner.space else {
            throw HeadError(offset: index, message: "malformed request method")
        }
        methodEnd = index
        method = Self.method(raw, index)
        index += 1
        targetStart = index
        while index < count && raw[index] > 0x20 && raw[index] != 0x7F { index += 1 }
        guard index > targetStart, index < count, raw[index] == HeadScanner.space else {
            throw HeadError(offset: index, message: "malformed request target")
        }
        targetEnd = index
        index += 1
        guard index + 10 <= count, HeadScanner.equals(raw, index, index + 7, "http/1."),
              raw[index] == UInt8(ascii: "H"), raw[index + 7] == UInt8(ascii: "0") || raw[index + 7] == UInt8(ascii: "1"),
              raw[index + 8] == HeadScanner.cr, raw[index + 9] == HeadScanner.lf else {
            throw HeadError(offset: index, message: "unsupported or malformed HTTP version")
        }
        minorVersion = Int(raw[index + 7] - UInt8(ascii: "0"))
        headersStart = index + 10
        var transferEncoding = false
        try HeadScanner.forEachField(raw, from: headersStart) { nameStart, nameEnd, valueStart, valueEnd, lineEnd in
            switch HeaderName.classify(raw, nameStart, nameEnd) {
            case .host:
                guard hostValue == nil else { throw HeadError(offset: nameStart, message: "more than one Host header") }
                hostValue = valueStart..<valueEnd
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
            case .expect:
                dropped.add(nameStart..<lineEnd)
                if HeadScanner.equals(raw, valueStart, valueEnd, "100-continue") { expectsContinue = true }
            case .forwardedProto, .hopByHop:
                dropped.add(nameStart..<lineEnd)
            case .forwardedFor:
                dropped.requireScan()
            case .requestID:
                if requestIDValue == nil && valueEnd > valueStart { requestIDValue = valueStart..<valueEnd }
            case .other:
                break
            }
        }
        // A body framed two ways, or by a coding the router cannot find the end of, could be read
        // differently by the upstream: refused (RFC 9112 §6.1, request smuggling).
        if transferEncoding && (!chunked || contentLength != nil) {
            throw HeadError(offset: headersStart, message: "unsupported Transfer-Encoding")
        }
    }

    private static func method(_ raw: UnsafeRawBufferPointer, _ end: Int) -> Method {
        func named(_ name: StaticString) -> Bool {
            guard end == name.utf8CodeUnitCount else { return false }
            for index in 0..<end where raw[index] != name.utf8Start[index] { return false }
            return true
        }
        switch end {
        case 3: return named("GET") ? .get : named("PUT") ? .otherIdempotent : .other
        case 4: return named("HEAD") ? .head : .other
        case 5: return named("TRACE") ? .otherIdempotent : .other
        case 6: return named("DELETE") ? .otherIdempotent : .other
        case 7: return named("OPTIONS") ? .otherIdempotent : .other
        default: return .other
        }
    }

    var keepAlive: Bool { minorVersion > 0 ? !connectionClose : connectionKeepAlive && !connectionClose }
    var hasBody: Bool { chunked || (contentLength ?? 0) > 0 }
    var isIdempotent: Bool { method != .other }

    /// Where the body ends; nil without one.
    var bodyFraming: BodyFraming? {
        if chunked { return .chunked }
        if let contentLength, contentLength > 0 { return .length(contentLength) }
        return nil
    }

    /// The upstream name asked for: Host, port stripped, lowercased.
    var hostName: String { hostValue.map { HostName.normalize(string($0)) } ?? "" }
    var methodString: String { string(0..<methodEnd) }
    var target: String { string(targetStart..<targetEnd) }
    var givenRequestID: String? { requestIDValue.map(string) }

    func string(_ range: Range<Int>) -> String { bytes.getString(at: bytes.readerIndex + range.lowerBound, length: range.count) ?? "" }

    /// The values of header `lowercaseName`, in order (for the access log and hash keys).
    func values(_ lowercaseName: String) -> [String] {
        var found: [Range<Int>] = []
        bytes.withUnsafeReadableBytes { raw in
            var name = lowercaseName
            name.withUTF8 { wanted in
                try? HeadScanner.forEachField(raw, from: headersStart) { nameStart, nameEnd, valueStart, valueEnd, _ in
                    guard nameEnd - nameStart == wanted.count else { return }
                    for offset in 0..<wanted.count where HeadScanner.lowercased(raw[nameStart + offset]) != wanted[offset] { return }
                    found.append(valueStart..<valueEnd)
                }
            }
        }
        return found.map(string)
    }

    func firstValue(_ lowercaseName: String) -> String? { values(lowercaseName).first }
}
