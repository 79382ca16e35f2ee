import NIOCore

/// Head rewriting between client and upstream, by splicing bytes: hop-by-hop headers (RFC 9110
/// §7.6.1 and any named in `Connection`) never cross the proxy; `X-Forwarded-*` and `X-Request-Id`
/// are set. The usual head is copied as one block with the router's lines appended.
enum ForwardedHeaders {
    /// The request head sent upstream (always HTTP/1.1, so the upstream connection can be kept).
    static func upstreamRequest(_ head: RequestHead, clientIP: String, proto: String, requestID: RequestID,
                                into out: inout ByteBuffer) {
        head.bytes.withUnsafeReadableBytes { raw in
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[0..<head.targetEnd]))
            out.writeStaticString(" HTTP/1.1\r\n")
            if head.dropped.needsScan {
                var forwardedFor: [Range<Int>] = []
                copyFields(raw, from: head.headersStart, into: &out) { name, _, valueStart, valueEnd in
                    switch name {
                    case .connection, .hopByHop, .forwardedProto, .expect: return false
                    case .forwardedFor:
                        if valueEnd > valueStart { forwardedFor.append(valueStart..<valueEnd) }
                        return false
                    default: return true
                    }
                }
                out.writeStaticString("X-Forwarded-For: ")
                for range in forwardedFor {
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[range]))
                    out.writeStaticString(", ")
                }
            } else {
                head.dropped.copy(raw, from: head.headersStart, to: raw.count - 2, into: &out)
                out.writeStaticString("X-Forwarded-For: ")
            }
        }
        out.writeString(clientIP)
        out.writeStaticString("\r\nX-Forwarded-Proto: ")
        out.writeString(proto)
        if head.requestIDValue == nil {
            out.writeStaticString("\r\nX-Request-Id: ")
            requestID.write(to: &out)
        }
        out.writeStaticString("\r\n\r\n")
    }

    /// Room `upstreamRequest` needs beyond the client's head.
    static func addedBytes(clientIP: String, proto: String) -> Int { clientIP.utf8.count + proto.utf8.count + 96 }

    /// Writes the response head for the client: the client's HTTP version, the upstream's status
    /// and headers minus hop-by-hop ones, and `Connection` as the client connection will behave.
    /// `dropTransferEncoding` when the body is passed on without its chunk framing.
    static func clientResponse(_ head: ResponseHead, clientMinorVersion: Int, keepAlive: Bool, dropTransferEncoding: Bool,
                               into out: inout ByteBuffer) {
        out.writeStaticString(clientMinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1")
        head.bytes.withUnsafeReadableBytes { raw in
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[ResponseHead.afterVersion..<head.headersStart]))
            if head.dropped.needsScan || dropTransferEncoding {
                copyFields(raw, from: head.headersStart, into: &out) { name, _, _, _ in
                    switch name {
                    case .connection, .hopByHop: return false
                    case .transferEncoding: return !dropTransferEncoding
                    default: return true
                    }
                }
            } else {
                head.dropped.copy(raw, from: head.headersStart, to: raw.count - 2, into: &out)
            }
        }
        if !keepAlive {
            out.writeStaticString("Connection: close\r\n")
        } else if clientMinorVersion == 0 {
            out.writeStaticString("Connection: keep-alive\r\n")
        }
        out.writeStaticString("\r\n")
    }

    /// Copies the header lines `keep` accepts (given the name's class and the value's range),
    /// except those named in a `Connection` header.
    private static func copyFields(_ raw: UnsafeRawBufferPointer, from start: Int, into out: inout ByteBuffer,
                                   keep: (HeaderName, Range<Int>, Int, Int) -> Bool) {
        let named = connectionOptions(raw, from: start)
        try? HeadScanner.forEachField(raw, from: start) { nameStart, nameEnd, valueStart, valueEnd, lineEnd in
            let name = HeaderName.classify(raw, nameStart, nameEnd)
            guard keep(name, nameStart..<nameEnd, valueStart, valueEnd) else { return }
            if name == .other && named.contains(where: { HeadScanner.equals(raw, $0, nameStart..<nameEnd) }) { return }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[nameStart..<lineEnd]))
        }
    }

    /// Header names listed in `Connection` besides close and keep-alive.
    private static func connectionOptions(_ raw: UnsafeRawBufferPointer, from start: Int) -> [Range<Int>] {
        var names: [Range<Int>] = []
        try? HeadScanner.forEachField(raw, from: start) { nameStart, nameEnd, valueStart, valueEnd, _ in
            guard HeaderName.classify(raw, nameStart, nameEnd) == .connection else { return }
            HeadScanner.forEachListItem(raw, valueStart, valueEnd) { itemStart, itemEnd in
                if !HeadScanner.equals(raw, itemStart, itemEnd, "close") && !HeadScanner.equals(raw, itemStart, itemEnd, "keep-alive") {
                    names.append(itemStart..<itemEnd)
                }
            }
        }
        return names
    }
}
