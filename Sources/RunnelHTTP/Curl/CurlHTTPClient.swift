import Synchronization

/// Runnel's outbound HTTP client (DESIGN §2): libcurl's multi interface on a dedicated thread,
/// over TCP, TLS or unix sockets, with streamed, back-pressured response bodies.
///
///     let client = CurlHTTPClient()
///     let response = try await client.stream(endpoint.request(path: "/v1.41/events"))
///     for try await chunk in response { … }
public final class CurlHTTPClient: Sendable {
    /// One client for the whole process: one thread, shared by every transfer.
    public static let shared = CurlHTTPClient(threadName: "runnel-curl")

    private let loop: CurlMultiLoop
    private let nextID = Atomic<UInt64>(1)

    public init(threadName: String = "runnel-curl") {
        loop = CurlMultiLoop(name: threadName)
    }

    /// Sends the request and returns once the response's head arrived; its body streams after.
    public func stream(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let loop = loop
        let transfer = CurlTransfer(request: request, id: id,
                                    onUnpause: { loop.send(.unpause($0)) },
                                    onCancel: { loop.send(.cancel($0)) })
        guard loop.send(.add(transfer)) else {
            throw HTTPClientError(.clientStopped, url: request.url, message: "HTTP client stopped")
        }
        do {
            let head = try await transfer.head()
            return HTTPClientResponse(head: head, transfer: transfer)
        } catch {
            transfer.cancel()
            throw error
        }
    }

    /// Sends the request and collects the whole response (bodies larger than `maxBodyBytes` fail).
    public func send(_ request: HTTPClientRequest, maxBodyBytes: Int = 16 << 20) async throws -> (status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        let response = try await stream(request)
        let body = try await response.body(maxBytes: maxBodyBytes)
        return (response.status, response.headers, body)
    }

    /// Stops the loop thread; running transfers fail with `.clientStopped`.
    public func shutdown() {
        loop.send(.stop)
    }
}
