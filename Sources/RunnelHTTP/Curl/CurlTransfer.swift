import CCurl
import Synchronization

/// Status line and headers of a response.
struct ClientResponseHead: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
}

/// The state one request shares between libcurl's loop thread (which receives) and the task
/// reading the response: the head, unread body bytes, and the waiting reader, behind one lock.
///
/// Backpressure: when `maxBufferedBytes` are unread, the write callback answers
/// `CURL_WRITEFUNC_PAUSE` (libcurl keeps that one chunk and stops reading the socket); the
/// reader's next take asks the loop to unpause. Memory per transfer is therefore bounded by the
/// limit plus one network read, however slow the reader.
final class CurlTransfer: Sendable {
    let request: HTTPClientRequest
    let id: UInt64

    private struct State {
        var status = 0
        var headers: [(name: String, value: String)] = []
        var headComplete = false
        var body: [UInt8] = []
        /// The most body bytes ever held unread (for tests of the backpressure bound).
        var peakBuffered = 0
        var paused = false
        var completion: Result<Void, HTTPClientError>?
        var headWaiter: CheckedContinuation<ClientResponseHead, any Error>?
        var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Called (outside the lock) when the reader drained a paused transfer or gave up on it.
    private let onUnpause: @Sendable (UInt64) -> Void
    private let onCancel: @Sendable (UInt64) -> Void

    init(request: HTTPClientRequest, id: UInt64, onUnpause: @escaping @Sendable (UInt64) -> Void,
         onCancel: @escaping @Sendable (UInt64) -> Void) {
        self.request = request
        self.id = id
        self.onUnpause = onUnpause
        self.onCancel = onCancel
    }

    // MARK: loop thread side

    /// One header line as libcurl hands it over (status lines included), CRLF and all.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        // Bytes, not Characters: "\r\n" is one Character in Swift and would defeat a suffix check.
        var end = line.count
        while end > 0 && (line[end - 1] == 0x0A || line[end - 1] == 0x0D) { end -= 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
        var resume: (CheckedContinuation<ClientResponseHead, any Error>, ClientResponseHead)?
        state.withLock { state in
            if text.hasPrefix("HTTP/") {
                // A new response (after a 1xx or a redirect) replaces what came before.
                let parts = text.split(separator: " ", maxSplits: 2)
                state.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                state.headers = []
            } else if text.isEmpty {
                guard state.status >= 200, !state.headComplete else { return }
                state.headComplete = true
                if let waiter = state.headWaiter {
                    state.headWaiter = nil
                    resume = (waiter, ClientResponseHead(status: state.status, headers: state.headers))
                }
            } else if let colon = text.firstIndex(of: ":") {
                let name = String(text[..<colon])
                let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                state.headers.append((name, String(value)))
            }
        }
        if let (waiter, head) = resume { waiter.resume(returning: head) }
    }

    /// Body bytes from libcurl; returns how many were taken, or `CURL_WRITEFUNC_PAUSE`.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        var handOver: (CheckedContinuation<[UInt8]?, any Error>, [UInt8])?
        let taken: Int = state.withLock { state in
            if state.cancelled { return 0 }  // makes libcurl abort the transfer
            if state.body.count >= request.maxBufferedBytes {
                state.paused = true
                return Int(CURL_WRITEFUNC_PAUSE)
            }
            if let waiter = state.bodyWaiter {
                state.bodyWaiter = nil
                handOver = (waiter, Array(bytes))
            } else {
                state.body.append(contentsOf: bytes)
                state.peakBuffered = max(state.peakBuffered, state.body.count)
            }
            return bytes.count
        }
        if let (waiter, chunk) = handOver { waiter.resume(returning: chunk) }
        return taken
    }

    /// The transfer ended: successfully, with an error, or cancelled.
    func complete(_ result: Result<Void, HTTPClientError>, status fallbackStatus: Int) {
        var headResume: (CheckedContinuation<ClientResponseHead, any Error>, Result<ClientResponseHead, HTTPClientError>)?
        var bodyResume: (CheckedContinuation<[UInt8]?, any Error>, Result<[UInt8]?, HTTPClientError>)?
        state.withLock { state in
            guard state.completion == nil else { return }
            state.completion = result
            if let waiter = state.headWaiter {
                state.headWaiter = nil
                switch result {
                case .success:
                    state.headComplete = true
                    if state.status == 0 { state.status = fallbackStatus }
                    headResume = (waiter, .success(ClientResponseHead(status: state.status, headers: state.headers)))
                case .failure(let error):
                    headResume = (waiter, .failure(error))
                }
            }
            if let waiter = state.bodyWaiter {
                state.bodyWaiter = nil
                bodyResume = (waiter, result.map { nil })
            }
        }
        if let (waiter, result) = headResume { waiter.resume(with: result) }
        if let (waiter, result) = bodyResume { waiter.resume(with: result) }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }
    var peakBufferedBytes: Int { state.withLock { $0.peakBuffered } }

    // MARK: reader side

    /// Waits for the status line and headers.
    func head() async throws -> ClientResponseHead {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ClientResponseHead, any Error>) in
                let immediate: Result<ClientResponseHead, HTTPClientError>? = state.withLock { state in
                    if state.headComplete { return .success(ClientResponseHead(status: state.status, headers: state.headers)) }
                    if case .failure(let error)? = state.completion { return .failure(error) }
                    if state.cancelled { return .failure(cancelledError) }
                    state.headWaiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The next unread body bytes, nil at the end of the body; throws when the transfer failed.
    func nextChunk() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                var unpause = false
                let immediate: Result<[UInt8]?, HTTPClientError>? = state.withLock { state in
                    if !state.body.isEmpty {
                        let chunk = state.body
                        state.body = []
                        if state.paused {
                            state.paused = false
                            unpause = true
                        }
                        return .success(chunk)
                    }
                    if let completion = state.completion { return completion.map { nil } }
                    if state.cancelled { return .failure(cancelledError) }
                    state.bodyWaiter = continuation
                    return nil
                }
                if unpause { onUnpause(id) }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Stops the transfer; a waiting reader gets a `cancelled` error.
    func cancel() {
        let first = state.withLock { state -> Bool in
            guard !state.cancelled, state.completion == nil else { return false }
            state.cancelled = true
            return true
        }
        guard first else { return }
        complete(.failure(cancelledError), status: 0)
        onCancel(id)
    }

    private var cancelledError: HTTPClientError {
        HTTPClientError(.cancelled, url: request.url, message: "request cancelled")
    }
}
