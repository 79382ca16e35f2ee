import RunnelHTTP

/// A failed Docker Engine API call.
public struct DockerAPIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// dockerd is not reachable (socket missing, connection refused, TLS refused).
        case unreachable
        /// The object does not exist (HTTP 404): a container removed meanwhile.
        case notFound
        /// Any other error status; `status` holds it.
        case status
        /// The response is not what the API documents (bad JSON, a broken log stream).
        case invalidResponse
        /// The connection failed mid-way or timed out.
        case transport
        case cancelled
    }

    public var kind: Kind
    public var status: Int?
    /// The request, e.g. `GET /v1.41/containers/abc/json`.
    public var request: String
    public var message: String

    public init(_ kind: Kind, request: String, status: Int? = nil, message: String) {
        self.kind = kind
        self.request = request
        self.status = status
        self.message = message
    }

    public var description: String {
        "\(request): " + (status.map { "HTTP \($0): " } ?? "") + message
    }

    static func from(_ error: any Error, request: String) -> DockerAPIError {
        if let docker = error as? DockerAPIError { return docker }
        guard let http = error as? HTTPClientError else {
            return DockerAPIError(error is CancellationError ? .cancelled : .transport, request: request, message: "\(error)")
        }
        switch http.kind {
        case .connect, .tls: return DockerAPIError(.unreachable, request: request, message: http.message)
        case .cancelled, .clientStopped: return DockerAPIError(.cancelled, request: request, message: http.message)
        case .bodyTooLarge: return DockerAPIError(.invalidResponse, request: request, message: http.message)
        case .timeout, .transfer, .invalidRequest: return DockerAPIError(.transport, request: request, message: http.message)
        }
    }
}
