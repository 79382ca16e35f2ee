import NIOHTTP1

/// Header rewriting between client and upstream: hop-by-hop headers (RFC 9110 §7.6.1 and any
/// named in `Connection`) never cross the proxy; `X-Forwarded-*` and `X-Request-Id` are set.
/// Each message is rewritten in one pass over its headers (this runs twice per request).
enum ForwardedHeaders {
    /// The request head sent upstream, and the request id it carries.
    static func upstreamRequest(_ head: HTTPRequestHead, clientIP: String, proto: String,
                                newRequestID: () -> String) -> (head: HTTPRequestHead, requestID: String) {
        let dropsTransferEncoding = head.version.major == 1 && head.version.minor == 0 && !head.headers.contains(name: "content-length")
        var givenRequestID: String?
        var needsRewrite = false
        for (name, value) in head.headers {
            switch HeaderName.classify(name) {
            case .hopByHop, .forwardedFor, .forwardedProto, .expect: needsRewrite = true
            case .transferEncoding: needsRewrite = needsRewrite || dropsTransferEncoding
            case .requestID: if givenRequestID == nil && !value.isEmpty { givenRequestID = value }
            case .contentLength, .other: break
            }
        }
        if !needsRewrite {
            // The usual request: keep the headers as they are (no copy of each one, which NIO
            // would validate again) and add the three the router sets.
            var headers = head.headers
            headers.add(name: "X-Forwarded-For", value: clientIP)
            headers.add(name: "X-Forwarded-Proto", value: proto)
            let id = givenRequestID ?? newRequestID()
            if givenRequestID == nil { headers.add(name: "X-Request-Id", value: id) }
            return (HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers), id)
        }
        let named = connectionOptions(head.headers)
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 3)
        var forwardedFor: String?
        var requestID: String?
        for (name, value) in head.headers {
            switch HeaderName.classify(name) {
            case .hopByHop: continue
            case .forwardedFor:
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
                continue
            case .forwardedProto: continue
            case .requestID: if requestID == nil && !value.isEmpty { requestID = value }
            case .contentLength: break
            case .expect: continue  // the router answers `100-continue` itself (see ClientHandler)
            case .transferEncoding:
                // An HTTP/1.0 body without a length runs to the close; such requests have no body here.
                if dropsTransferEncoding { continue }
            case .other: if !named.isEmpty && named.contains(name.lowercased()) { continue }
            }
            headers.add(name: name, value: value)
        }
        headers.add(name: "X-Forwarded-For", value: forwardedFor.map { $0 + ", " + clientIP } ?? clientIP)
        headers.add(name: "X-Forwarded-Proto", value: proto)
        let id: String
        if let requestID {
            id = requestID
        } else {
            id = newRequestID()
            headers.add(name: "X-Request-Id", value: id)
        }
        return (HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers), id)
    }

    /// The response head sent to the client.
    static func clientResponse(_ head: HTTPResponseHead, version: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var headers = head.headers
        removeHopByHop(&headers)
        if !keepAlive { headers.add(name: "Connection", value: "close") } else if version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: head.status, headers: headers)
    }

    /// Drops hop-by-hop headers; the headers are copied only when there is one to drop.
    static func removeHopByHop(_ headers: inout HTTPHeaders) {
        guard headers.contains(where: { HeaderName.classify($0.name) == .hopByHop }) else { return }
        let named = connectionOptions(headers)
        var kept = HTTPHeaders()
        kept.reserveCapacity(headers.count)
        for (name, value) in headers where HeaderName.classify(name) != .hopByHop {
            if !named.isEmpty && named.contains(name.lowercased()) { continue }
            kept.add(name: name, value: value)
        }
        headers = kept
    }

    /// Header names listed in `Connection` (besides close and keep-alive), lowercased.
    private static func connectionOptions(_ headers: HTTPHeaders) -> [String] {
        var names: [String] = []
        for (name, value) in headers where HeaderName.classify(name) == .hopByHop && name.utf8.count == 10
            && name.lowercased() == "connection" {
            for option in value.split(separator: ",") {
                let trimmed = option.trimmingSpaces.lowercased()
                if trimmed != "close" && trimmed != "keep-alive" && !trimmed.isEmpty { names.append(trimmed) }
            }
        }
        return names
    }
}

/// The header names the proxy treats specially, recognised by length first so that most names
/// cost one integer comparison.
enum HeaderName: Equatable {
    case hopByHop, forwardedFor, forwardedProto, requestID, contentLength, transferEncoding, expect, other

    static func classify(_ name: String) -> HeaderName {
        let utf8 = name.utf8
        switch utf8.count {
        case 2: return equals(utf8, "te") ? .hopByHop : .other
        case 6: return equals(utf8, "expect") ? .expect : .other
        case 7: return equals(utf8, "trailer") || equals(utf8, "upgrade") ? .hopByHop : .other
        case 10: return equals(utf8, "connection") || equals(utf8, "keep-alive") ? .hopByHop : .other
        case 12: return equals(utf8, "x-request-id") ? .requestID : .other
        case 14: return equals(utf8, "content-length") ? .contentLength : .other
        case 15: return equals(utf8, "x-forwarded-for") ? .forwardedFor : .other
        case 16: return equals(utf8, "proxy-connection") ? .hopByHop : .other
        case 17:
            if equals(utf8, "x-forwarded-proto") { return .forwardedProto }
            return equals(utf8, "transfer-encoding") ? .transferEncoding : .other
        case 18: return equals(utf8, "proxy-authenticate") ? .hopByHop : .other
        case 19: return equals(utf8, "proxy-authorization") ? .hopByHop : .other
        default: return .other
        }
    }

    /// ASCII case-insensitive equality with a lowercase literal of the same length.
    private static func equals(_ name: String.UTF8View, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in name {
                let folded = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed
    }
}
