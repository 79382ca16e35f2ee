import NIOCore

/// A client's request head, left as the bytes it arrived in, with the positions and facts the
/// router acts on found in one strict pass (RFC 9112 §3, §5, §6). Everything else stays bytes and is
/// forwarded as it came.
struct RequestHead: ParsedHead {
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
    private(set) var expectsContinue = false
    /// Framing, connection and hop-by-hop lines; `Expect` and `X-Forwarded-Proto` are dropped
    /// too, and a client's `X-Forwarded-For` (merged) requires a re-scan.
    private(set) var fields = FramingFields()

    init(bytes: ByteBuffer) { self.bytes = bytes }

    mutating func read(_ raw: UnsafeRawBufferPointer) throws {
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
        try HeadScanner.forEachField(raw, from: headersStart) { nameStart, nameEnd, valueStart, valueEnd, lineEnd in
            let name = HeaderName.classify(raw, nameStart, nameEnd)
            if try fields.take(name, raw, nameStart: nameStart, valueStart: valueStart, valueEnd: valueEnd, lineEnd: lineEnd) { return }
            switch name {
            case .host:
                guard hostValue == nil else { throw HeadError(offset: nameStart, message: "more than one Host header") }
                hostValue = valueStart..<valueEnd
            case .expect:
                fields.dropped.add(nameStart..<lineEnd)
                if HeadScanner.equals(raw, valueStart, valueEnd, "100-continue") { expectsContinue = true }
            case .forwardedProto:
                fields.dropped.add(nameStart..<lineEnd)
            case .forwardedFor:
                fields.dropped.requireScan()
            case .requestID:
                if requestIDValue == nil && valueEnd > valueStart { requestIDValue = valueStart..<valueEnd }
            default:
                break
            }
        }
        // A body framed two ways, or by a coding the router cannot find the end of, could be read
        // differently by the upstream: refused (RFC 9112 §6.1, request smuggling).
        if fields.transferEncoding && (!fields.chunked || fields.contentLength != nil) {
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

    var contentLength: Int? { fields.contentLength }
    var chunked: Bool { fields.chunked }
    var dropped: DroppedLines { fields.dropped }
    var keepAlive: Bool { fields.keepsConnection(minorVersion: minorVersion) }
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
