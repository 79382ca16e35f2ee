import NIOHTTP1

/// Header rewriting between client and upstream: hop-by-hop headers (RFC 9110 §7.6.1 and any
/// named in `Connection`) never cross the proxy; `X-Forwarded-*` and `X-Request-Id` are set.
enum ForwardedHeaders {
    private static let hopByHop = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
        "proxy-authenticate", "proxy-authorization",
    ]

    /// The request head sent upstream, and the request id it carries.
    static func upstreamRequest(_ head: HTTPRequestHead, clientIP: String, proto: String,
                                newRequestID: () -> String) -> (head: HTTPRequestHead, requestID: String) {
        var headers = head.headers
        removeHopByHop(&headers)
        let forwardedFor = headers.first(name: "x-forwarded-for").map { $0 + ", " + clientIP } ?? clientIP
        headers.replaceOrAdd(name: "X-Forwarded-For", value: forwardedFor)
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: proto)
        let requestID: String
        if let given = headers.first(name: "x-request-id"), !given.isEmpty {
            requestID = given
        } else {
            requestID = newRequestID()
            headers.add(name: "X-Request-Id", value: requestID)
        }
        var upstream = HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
        if head.version.major == 1 && head.version.minor == 0 && !headers.contains(name: "content-length") {
            // An HTTP/1.0 body without a length runs to the close; such requests have no body here.
            upstream.headers.remove(name: "transfer-encoding")
        }
        return (upstream, requestID)
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

    static func removeHopByHop(_ headers: inout HTTPHeaders) {
        // Checked name by name (case-insensitive, no allocation): most messages carry none.
        guard hopByHop.contains(where: { headers.contains(name: $0) }) else { return }
        let named = headers[canonicalForm: "connection"].map { $0.lowercased() }
        for name in hopByHop { headers.remove(name: name) }
        for name in named where name != "close" && name != "keep-alive" { headers.remove(name: name) }
    }
}
