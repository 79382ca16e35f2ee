import Foundation
import RunnelHTTP
import Synchronization

/// The cluster's HTTP endpoints and how to talk to them: requests go to the current server; a
/// connection failure, timeout or 5xx moves on to the next one (failover), round the list.
final class ElasticsearchServers: Sendable {
    struct Settings: Sendable {
        var urls: [String]
        var tls: TLSOptions = TLSOptions()
        var username: String?
        var password: String?
        var apiKey: String?
        var connectTimeout: Duration = .seconds(10)
        var requestTimeout: Duration? = .seconds(60)
        var gzip = false
        var httpVersion: HTTPVersionPreference = .automatic
        var disableKeepAlives = false
    }

    let settings: Settings
    private let baseURLs: [String]
    private let headers: [(name: String, value: String)]
    private let current = Mutex(0)

    init(_ settings: Settings) throws(HTTPEndpoint.ParseError) {
        self.settings = settings
        var urls: [String] = []
        for text in settings.urls {
            let endpoint = try HTTPEndpoint(parsing: text, tls: settings.tls)
            urls.append(Self.trimSlash(endpoint.baseURL + Self.path(of: text)))
        }
        baseURLs = urls
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-ndjson"), ("Accept", "application/json")]
        if let apiKey = settings.apiKey, !apiKey.isEmpty {
            headers.append(("Authorization", "ApiKey " + apiKey))
        } else if let username = settings.username, !username.isEmpty {
            let credentials = Data("\(username):\(settings.password ?? "")".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic " + credentials))
        }
        if settings.gzip { headers.append(("Content-Encoding", "gzip")) }
        self.headers = headers
    }

    /// The server the next request goes to, by its position in the list.
    var currentIndex: Int { current.withLock { $0 } }

    /// Moves on from `failed` (unless another request already did).
    func failover(from failed: Int) {
        current.withLock { index in
            if index == failed { index = (index + 1) % baseURLs.count }
        }
    }

    func url(at index: Int) -> String { baseURLs[index % baseURLs.count] + "/_bulk" }

    /// A bulk request carrying `body` (compressed here when `gzip` is on) to server `index`.
    func bulkRequest(_ body: [UInt8], server index: Int) -> HTTPClientRequest {
        var payload = body
        var requestHeaders = headers
        if settings.gzip {
            if let compressed = try? Gzip.compress(body) {
                payload = compressed
            } else {
                requestHeaders.removeAll { $0.name == "Content-Encoding" }
            }
        }
        var request = HTTPClientRequest(method: "POST", url: url(at: index), headers: requestHeaders, body: payload,
                                        tls: settings.tls, connectTimeout: settings.connectTimeout,
                                        timeout: settings.requestTimeout)
        request.httpVersion = settings.httpVersion
        request.forbidConnectionReuse = settings.disableKeepAlives
        return request
    }

    /// `http://h:9200/prefix/` keeps `/prefix` (clusters behind a path-routing proxy).
    private static func path(of text: String) -> String {
        guard let scheme = text.range(of: "://") else { return "" }
        let rest = text[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return String(rest[slash...])
    }

    private static func trimSlash(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
