/// A response whose head has arrived; its body is read chunk by chunk as it streams in.
/// Reading slower than the server sends pauses the transfer instead of buffering without bound.
/// Dropping the response (or cancelling the reading task) stops the transfer.
public final class HTTPClientResponse: Sendable, AsyncSequence {
    public typealias Element = [UInt8]

    public let status: Int
    public let headers: [(name: String, value: String)]
    private let transfer: CurlTransfer

    init(head: ClientResponseHead, transfer: CurlTransfer) {
        status = head.status
        headers = head.headers
        self.transfer = transfer
    }

    deinit { transfer.cancel() }

    public var url: String { transfer.request.url }

    /// The most body bytes this response ever held unread: at most the request's
    /// `maxBufferedBytes` plus one network read, however slowly it is read.
    public var peakBufferedBytes: Int { transfer.peakBufferedBytes }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The next bytes of the body as they arrived (several network reads may be joined), nil at
    /// its end. Throws `HTTPClientError` when the transfer failed or was cancelled.
    public func nextChunk() async throws -> [UInt8]? {
        try await transfer.nextChunk()
    }

    /// The whole body, failing with `.bodyTooLarge` (and stopping the transfer) past `maxBytes`.
    public func body(maxBytes: Int = 16 << 20) async throws -> [UInt8] {
        var collected: [UInt8] = []
        while let chunk = try await nextChunk() {
            guard collected.count + chunk.count <= maxBytes else {
                cancel()
                throw HTTPClientError(.bodyTooLarge, url: url, message: "response body larger than \(maxBytes) bytes")
            }
            collected += chunk
        }
        return collected
    }

    /// Stops the transfer; a pending or later read throws `.cancelled`.
    public func cancel() {
        transfer.cancel()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let response: HTTPClientResponse

        public mutating func next() async throws -> [UInt8]? {
            try await response.nextChunk()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(response: self) }
}
