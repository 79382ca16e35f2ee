/// Where a client connects, written the way Docker and most daemons write it:
/// `unix:///var/run/docker.sock`, `tcp://host:2376`, `http://host:port`, `https://host:port`.
/// `tcp://` means plain HTTP, or HTTPS when TLS settings are given (as the Docker CLI does).
public struct HTTPEndpoint: Sendable, Equatable {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "endpoint '\(text)': \(reason)" }
    }

    /// Scheme, host and port that requests' paths are appended to, e.g. `http://localhost`.
    public let baseURL: String
    public let unixSocketPath: String?
    public let tls: TLSOptions

    public init(parsing text: String, tls: TLSOptions? = nil) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        guard let separator = text.range(of: "://") else { throw fail("expected unix://PATH, tcp://HOST:PORT, http:// or https://") }
        let scheme = text[..<separator.lowerBound].lowercased()
        let rest = String(text[separator.upperBound...])
        switch scheme {
        case "unix":
            guard rest.hasPrefix("/") else { throw fail("a unix socket needs an absolute path, e.g. unix:///var/run/docker.sock") }
            // sockaddr_un holds 108 bytes including the terminating NUL.
            guard rest.utf8.count < 108 else { throw fail("unix socket paths are limited to 107 bytes") }
            baseURL = "http://localhost"
            unixSocketPath = rest
            self.tls = tls ?? TLSOptions()
        case "tcp", "http", "https":
            let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !authority.isEmpty else { throw fail("missing host") }
            guard !authority.contains("@") else { throw fail("credentials in the URL are not supported") }
            let secure = scheme == "https" || (scheme == "tcp" && tls != nil)
            baseURL = (secure ? "https://" : "http://") + authority
            unixSocketPath = nil
            self.tls = tls ?? TLSOptions()
        default:
            throw fail("unsupported scheme '\(scheme)'")
        }
    }

    /// A request for `path` (with its query string), e.g. `/v1.41/containers/json?all=1`.
    public func request(_ method: String = "GET", path: String, body: [UInt8]? = nil,
                        headers: [(name: String, value: String)] = [], timeout: Duration? = nil) -> HTTPClientRequest {
        HTTPClientRequest(method: method, url: baseURL + path, unixSocketPath: unixSocketPath, headers: headers,
                          body: body, tls: tls, timeout: timeout)
    }
}
