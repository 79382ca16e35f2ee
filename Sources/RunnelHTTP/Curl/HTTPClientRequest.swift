/// TLS settings of an outbound connection: the files Docker's `DOCKER_CERT_PATH` holds (`ca.pem`,
/// `cert.pem`, `key.pem`), or any CA bundle and client certificate.
public struct TLSOptions: Sendable, Equatable {
    /// PEM bundle of the certificate authorities to trust; the system's when nil.
    public var caFile: String?
    /// PEM client certificate, for servers that require one.
    public var certificateFile: String?
    /// PEM private key of the client certificate.
    public var keyFile: String?
    public var verifyPeer: Bool
    public var verifyHost: Bool

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                verifyPeer: Bool = true, verifyHost: Bool = true) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.verifyPeer = verifyPeer
        self.verifyHost = verifyHost
    }
}

/// Which HTTP version a request asks libcurl for.
public enum HTTPVersionPreference: Sendable, Equatable {
    /// libcurl's default: HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise.
    case automatic
    case http1_1
    /// HTTP/2 over TLS, or upgraded from HTTP/1.1 on plain connections when the server agrees.
    case http2
    /// HTTP/2 from the first byte on plain connections (h2c), for servers known to speak it.
    case http2PriorKnowledge
}

/// One outbound HTTP request for `CurlHTTPClient`.
public struct HTTPClientRequest: Sendable {
    public var method: String
    /// The full URL; over a unix socket its host part is only sent as the `Host` header.
    public var url: String
    /// Connect to this unix socket instead of the URL's host and port.
    public var unixSocketPath: String?
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// TLS settings for `https` URLs.
    public var tls: TLSOptions
    public var connectTimeout: Duration
    /// Limit on the whole exchange, body included; nil for endless streams (followed logs, events).
    public var timeout: Duration?
    /// Bytes the response may hold unread before the transfer is paused (backpressure): the reader
    /// never sees more than this plus one network read buffered on its behalf.
    public var maxBufferedBytes: Int
    public var httpVersion: HTTPVersionPreference = .automatic
    /// Open a fresh connection and close it afterwards instead of reusing a kept-alive one.
    public var forbidConnectionReuse = false

    public init(method: String = "GET", url: String, unixSocketPath: String? = nil,
                headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, tls: TLSOptions = TLSOptions(),
                connectTimeout: Duration = .seconds(10), timeout: Duration? = nil, maxBufferedBytes: Int = 1 << 20) {
        self.method = method
        self.url = url
        self.unixSocketPath = unixSocketPath
        self.headers = headers
        self.body = body
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxBufferedBytes = maxBufferedBytes
    }
}

/// Why an outbound request failed, with the URL and libcurl's own explanation.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Name resolution or connection failed (the server is not there).
        case connect
        case timeout
        case tls
        /// The connection broke or the server sent something that is not HTTP.
        case transfer
        case cancelled
        /// A collected body grew past the caller's limit.
        case bodyTooLarge
        case invalidRequest
        /// The client was shut down.
        case clientStopped
    }

    public var kind: Kind
    public var url: String
    public var message: String
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int32?

    public init(_ kind: Kind, url: String, message: String, curlCode: Int32? = nil) {
        self.kind = kind
        self.url = url
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "\(url): \(message)" }
}
