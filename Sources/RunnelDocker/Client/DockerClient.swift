import RunnelCore
import RunnelHTTP
import Synchronization

/// The Docker Engine API calls the Docker inputs make, over libcurl (`CurlHTTPClient`).
/// The API version is negotiated once from `/version`: 1.41, or the daemon's own when older.
public final class DockerClient: Sendable {
    public static let preferredAPIVersion = "1.41"

    public let endpoint: HTTPEndpoint
    private let http: CurlHTTPClient
    private let requestTimeout: Duration
    private let negotiated = Mutex<String?>(nil)

    public init(endpoint: HTTPEndpoint, http: CurlHTTPClient = .shared, requestTimeout: Duration = .seconds(30)) {
        self.endpoint = endpoint
        self.http = http
        self.requestTimeout = requestTimeout
    }

    // MARK: calls

    /// `GET /version` (unversioned, so it works whatever the daemon's API range).
    public func version() async throws -> DockerVersion {
        let body = try await get("/version")
        return try decode(body, request: "GET /version", as: DockerVersion.init(json:))
    }

    /// The version prefix used for every other call, e.g. `v1.41`.
    public func apiVersion() async throws -> String {
        if let known = negotiated.withLock({ $0 }) { return known }
        let server = try await version().apiVersion
        let chosen = Self.compare(server, Self.preferredAPIVersion) < 0 ? server : Self.preferredAPIVersion
        negotiated.withLock { $0 = chosen }
        return chosen
    }

    /// Forgets the negotiated version (the daemon may have been upgraded while it was away).
    public func resetNegotiation() {
        negotiated.withLock { $0 = nil }
    }

    public func containers(all: Bool = false) async throws -> [DockerContainerSummary] {
        let path = try await versioned("/containers/json" + (all ? "?all=1" : ""))
        let body = try await get(path)
        let request = "GET " + path
        let json = try parse(body, request: request)
        guard let entries = json.arrayValue else {
            throw DockerAPIError(.invalidResponse, request: request, message: "expected an array of containers")
        }
        var containers: [DockerContainerSummary] = []
        for entry in entries {
            // One odd entry must not hide every other container.
            if let container = try? DockerContainerSummary(json: entry) { containers.append(container) }
        }
        return containers
    }

    public func inspect(_ id: String) async throws -> DockerContainerDetails {
        let path = try await versioned("/containers/\(Self.pathComponent(id))/json")
        let body = try await get(path)
        return try decode(body, request: "GET " + path, as: DockerContainerDetails.init(json:))
    }

    /// `GET /events`, filtered (e.g. `["type": ["container"], "event": ["start", "die", "destroy"]]`),
    /// from `since` (ns) when given, streaming until cancelled.
    public func events(filters: [String: [String]], since: Int64? = nil) async throws -> DockerJSONLines<DockerEvent> {
        var query = ["filters=" + Self.percentEncode(Self.filtersJSON(filters))]
        if let since { query.append("since=" + DockerTimestamp.queryValue(since)) }
        let path = try await versioned("/events?" + query.joined(separator: "&"))
        let response = try await open(path, timeout: nil)
        return DockerJSONLines(response: response, request: "GET " + path) { (json) throws(DockerDecodingError) in
            try DockerEvent(json: json)
        }
    }

    /// `GET /containers/{id}/logs` with timestamps, both streams. The body is raw: feed it to a
    /// `DockerLogDecoder` (multiplexed, or TTY for containers with `Config.Tty`).
    public func logs(_ id: String, follow: Bool, since: Int64? = nil, tail: Int? = nil) async throws -> HTTPClientResponse {
        var query = "stdout=1&stderr=1&timestamps=1" + (follow ? "&follow=1" : "")
        if let since { query += "&since=" + DockerTimestamp.queryValue(since) }
        if let tail { query += "&tail=\(tail)" }
        let path = try await versioned("/containers/\(Self.pathComponent(id))/logs?" + query)
        return try await open(path, timeout: nil, maxBufferedBytes: 1 << 20)
    }

    /// One stats sample (`stream=false`). `oneShot` skips Docker's wait for a second reading (so
    /// `precpu_stats` is empty) and needs API 1.41.
    public func stats(_ id: String, oneShot: Bool = false) async throws -> DockerStatsSample {
        let path = try await versioned("/containers/\(Self.pathComponent(id))/stats?stream=false" + (oneShot ? "&one-shot=true" : ""))
        let body = try await get(path)
        return try decode(body, request: "GET " + path, as: DockerStatsSample.init(json:))
    }

    /// Stats samples as Docker produces them (about one a second) until cancelled.
    public func statsStream(_ id: String) async throws -> DockerJSONLines<DockerStatsSample> {
        let path = try await versioned("/containers/\(Self.pathComponent(id))/stats?stream=true")
        let response = try await open(path, timeout: nil)
        return DockerJSONLines(response: response, request: "GET " + path) { (json) throws(DockerDecodingError) in
            try DockerStatsSample(json: json)
        }
    }

    // MARK: plumbing

    private func versioned(_ path: String) async throws -> String {
        "/v" + (try await apiVersion()) + path
    }

    private func get(_ path: String) async throws -> [UInt8] {
        let response = try await open(path, timeout: requestTimeout)
        do {
            return try await response.body(maxBytes: 64 << 20)
        } catch {
            throw DockerAPIError.from(error, request: "GET " + path)
        }
    }

    /// Sends a GET and checks the status; error statuses carry Docker's `message`.
    private func open(_ path: String, timeout: Duration?, maxBufferedBytes: Int = 256 * 1024) async throws -> HTTPClientResponse {
        let request = "GET " + path
        var httpRequest = endpoint.request(path: path, timeout: timeout)
        httpRequest.maxBufferedBytes = maxBufferedBytes
        let response: HTTPClientResponse
        do {
            response = try await http.stream(httpRequest)
        } catch {
            throw DockerAPIError.from(error, request: request)
        }
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body(maxBytes: 64 * 1024)) ?? []
            let message = (try? JSONReader.parse(body))?["message"]?.stringValue
                ?? String(decoding: body.prefix(512), as: UTF8.self)
            throw DockerAPIError(response.status == 404 ? .notFound : .status, request: request, status: response.status,
                                 message: message)
        }
        return response
    }

    private func parse(_ body: [UInt8], request: String) throws -> JSONValue {
        do {
            return try JSONReader.parse(body)
        } catch {
            throw DockerAPIError(.invalidResponse, request: request, message: "bad JSON: \(error)")
        }
    }

    private func decode<T>(_ body: [UInt8], request: String,
                           as make: (JSONValue) throws(DockerDecodingError) -> T) throws -> T {
        let json = try parse(body, request: request)
        do {
            return try make(json)
        } catch {
            throw DockerAPIError(.invalidResponse, request: request, message: error.description)
        }
    }

    /// Numeric comparison of dotted versions ("1.9" < "1.41").
    static func compare(_ left: String, _ right: String) -> Int {
        let a = left.split(separator: ".").map { Int($0) ?? 0 }
        let b = right.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    static func filtersJSON(_ filters: [String: [String]]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        for (key, values) in filters.sorted(by: { $0.key < $1.key }) {
            writer.key(key)
            writer.beginArray()
            for value in values { writer.string(value) }
            writer.endArray()
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Ids and names go into paths escaped, so a hostile name cannot change the request.
    static func pathComponent(_ text: String) -> String { percentEncode(text) }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}
