/// The header names the proxy treats specially, recognised by length first so that most names
/// cost one integer comparison.
enum HeaderName: Equatable {
    case host, contentLength, transferEncoding, connection, expect, forwardedFor, forwardedProto, requestID
    /// Never forwarded (RFC 9110 §7.6.1), besides `Connection` and the names it lists.
    case hopByHop
    case other

    static func classify(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> HeaderName {
        switch end - start {
        case 2: return HeadScanner.equals(bytes, start, end, "te") ? .hopByHop : .other
        case 4: return HeadScanner.equals(bytes, start, end, "host") ? .host : .other
        case 6: return HeadScanner.equals(bytes, start, end, "expect") ? .expect : .other
        case 7: return HeadScanner.equals(bytes, start, end, "trailer") || HeadScanner.equals(bytes, start, end, "upgrade") ? .hopByHop : .other
        case 10:
            if HeadScanner.equals(bytes, start, end, "connection") { return .connection }
            return HeadScanner.equals(bytes, start, end, "keep-alive") ? .hopByHop : .other
        case 12: return HeadScanner.equals(bytes, start, end, "x-request-id") ? .requestID : .other
        case 14: return HeadScanner.equals(bytes, start, end, "content-length") ? .contentLength : .other
        case 15: return HeadScanner.equals(bytes, start, end, "x-forwarded-for") ? .forwardedFor : .other
        case 16: return HeadScanner.equals(bytes, start, end, "proxy-connection") ? .hopByHop : .other
        case 17:
            if HeadScanner.equals(bytes, start, end, "x-forwarded-proto") { return .forwardedProto }
            return HeadScanner.equals(bytes, start, end, "transfer-encoding") ? .transferEncoding : .other
        case 18: return HeadScanner.equals(bytes, start, end, "proxy-authenticate") ? .hopByHop : .other
        case 19: return HeadScanner.equals(bytes, start, end, "proxy-authorization") ? .hopByHop : .other
        default: return .other
        }
    }

    static func classify(_ name: String) -> HeaderName {
        var name = name
        return name.withUTF8 { classify(UnsafeRawBufferPointer($0), 0, $0.count) }
    }
}
