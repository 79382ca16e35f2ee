/// A request as the small inbound servers (admin endpoint, router API) see it: fully read, bounded.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, e.g. `/status`.
    public var path: String
    /// The raw query string without `?`, empty when absent.
    public var query: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var remoteAddress: String?

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) }?.value
    }

    /// Query parameters, percent-decoded; later duplicates win.
    public var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let key = parts.first.map({ percentDecode($0) }) else { continue }
            items[key] = parts.count > 1 ? percentDecode(parts[1]) : ""
        }
        return items
    }
}

/// A response body: bytes known up front, or a stream of chunks sent with chunked encoding until
/// the stream ends or the client goes away.
public enum HTTPResponseBody: Sendable {
    case bytes([UInt8])
    case stream(AsyncStream<[UInt8]>)
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: HTTPResponseBody

    public init(status: Int, headers: [(name: String, value: String)] = [], body: HTTPResponseBody = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: .bytes(Array(text.utf8)))
    }

    public static func json(_ status: Int, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: .bytes(bytes))
    }
}

extension String {
    fileprivate func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}

private func percentDecode(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        if byte == UInt8(ascii: "+") {
            bytes.append(0x20)
        } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
            bytes.append(value)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
