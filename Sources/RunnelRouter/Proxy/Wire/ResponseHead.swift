import NIOCore

/// An upstream's response head, left as bytes, with what the router needs to frame the body,
/// decide on keep-alive and drop hop-by-hop headers, found in one strict pass.
struct ResponseHead: ParsedHead {
    /// The whole head, status line through the blank line; positions below index into it.
    let bytes: ByteBuffer
    private(set) var status = 0
    private(set) var minorVersion = 1
    /// Just past the status line's CRLF.
    private(set) var headersStart = 0
    private(set) var fields = FramingFields()

    init(bytes: ByteBuffer) { self.bytes = bytes }

    /// The status line after the version (" 200 OK\r\n") starts here.
    static let afterVersion = 8

    mutating func read(_ raw: UnsafeRawBufferPointer) throws {
        let count = raw.count
        guard count >= 14, raw[0] == UInt8(ascii: "H"), HeadScanner.equals(raw, 0, 7, "http/1."),
              raw[7] == UInt8(ascii: "0") || raw[7] == UInt8(ascii: "1"), raw[8] == HeadScanner.space else {
            throw HeadError(offset: 0, message: "not an HTTP/1.x status line")
        }
        minorVersion = Int(raw[7] - UInt8(ascii: "0"))
        var code = 0
        for index in 9..<12 {
            let digit = raw[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw HeadError(offset: index, message: "malformed status code") }
            code = code * 10 + Int(digit)
        }
        guard code >= 100 else { throw HeadError(offset: 9, message: "malformed status code") }
        status = code
        var index = 12
        if raw[index] == HeadScanner.space {
            index += 1
            while index < count && raw[index] != HeadScanner.cr {
                guard raw[index] >= 0x20 && raw[index] != 0x7F || raw[index] == HeadScanner.tab else {
                    throw HeadError(offset: index, message: "control byte in reason phrase")
                }
                index += 1
            }
        }
        guard index + 1 < count, raw[index] == HeadScanner.cr, raw[index + 1] == HeadScanner.lf else {
            throw HeadError(offset: index, message: "malformed status line")
        }
        headersStart = index + 2
        try HeadScanner.forEachField(raw, from: headersStart) { nameStart, nameEnd, valueStart, valueEnd, lineEnd in
            _ = try fields.take(HeaderName.classify(raw, nameStart, nameEnd), raw,
                                nameStart: nameStart, valueStart: valueStart, valueEnd: valueEnd, lineEnd: lineEnd)
        }
        if fields.transferEncoding && fields.contentLength != nil {
            throw HeadError(offset: headersStart, message: "both Transfer-Encoding and Content-Length")
        }
    }

    var contentLength: Int? { fields.contentLength }
    var transferEncoding: Bool { fields.transferEncoding }
    var chunked: Bool { fields.chunked }
    var dropped: DroppedLines { fields.dropped }

    /// The server lets the connection carry another request.
    var keepsConnection: Bool { fields.keepsConnection(minorVersion: minorVersion) }
}
