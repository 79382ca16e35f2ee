import Foundation
import Synchronization
import Testing
import RunnelHTTP

/// The libcurl client against the NIO test server over real TCP and unix sockets.
@Suite(.timeLimit(.minutes(1))) struct CurlHTTPClientTests {
    static let client = CurlHTTPClient(threadName: "curl-tests")

    static func temporarySocketPath() -> String {
        NSTemporaryDirectory() + "rc-\(UUID().uuidString.prefix(8)).sock"
    }

    @Test func getOverTCPReturnsStatusHeadersAndBody() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { request in
            HTTPResponse(status: 201, headers: [("X-Path", request.path), ("Content-Type", "text/plain")],
                         body: .bytes(Array("query=\(request.query)".utf8)))
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        let (status, headers, body) = try await Self.client.send(endpoint.request(path: "/v1.41/version?a=1"))
        #expect(status == 201)
        #expect(headers.contains { $0.name.lowercased() == "x-path" && $0.value == "/v1.41/version" })
        #expect(String(decoding: body, as: UTF8.self) == "query=a=1")
    }

    @Test func requestBodyAndMethodReachTheServer() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { request in
            .text(200, "\(request.method) \(request.header("Content-Type") ?? "-") \(String(decoding: request.body, as: UTF8.self))")
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "http://127.0.0.1:\(server.port)")
        var body = Array("{\"a\":1}".utf8)
        body += [0, 0xFF]  // bytes, not text
        let response = try await Self.client.send(endpoint.request("PUT", path: "/x", body: body,
                                                                   headers: [("Content-Type", "application/json")]))
        #expect(response.body == Array("PUT application/json {\"a\":1}".utf8) + Array(String(decoding: [0, 0xFF], as: UTF8.self).utf8))
        let post = try await Self.client.send(endpoint.request("POST", path: "/x", body: []))
        #expect(String(decoding: post.body, as: UTF8.self) == "POST - ")
    }

    @Test func unixSocketTransport() async throws {
        let path = Self.temporarySocketPath()
        defer { unlink(path) }
        let server = try await HTTPServer.start(unixSocketPath: path) { request in
            .text(200, "over unix: \(request.path)")
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "unix://" + path)
        #expect(endpoint.unixSocketPath == path)
        let response = try await Self.client.send(endpoint.request(path: "/containers/json"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "over unix: /containers/json")
    }

    @Test func streamedChunksArriveBeforeTheResponseEnds() async throws {
        let clientSawFirst = SharedValue(false)
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            HTTPResponse(status: 200, body: .stream(AsyncStream { continuation in
                Task {
                    continuation.yield(Array("first\n".utf8))
                    // The second chunk is only sent once the client has read the first one.
                    let deadline = ContinuousClock.now + .seconds(10)
                    while !clientSawFirst.value && ContinuousClock.now < deadline {
                        try? await Task.sleep(for: .milliseconds(5))
                    }
                    continuation.yield(Array("second\n".utf8))
                    continuation.finish()
                }
            }))
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        let response = try await Self.client.stream(endpoint.request(path: "/events"))
        #expect(response.status == 200)
        var received: [UInt8] = []
        for try await chunk in response {
            received += chunk
            if received == Array("first\n".utf8) { clientSawFirst.value = true }
        }
        #expect(clientSawFirst.value)
        #expect(String(decoding: received, as: UTF8.self) == "first\nsecond\n")
    }

    @Test func slowReaderPausesTheTransferInsteadOfBuffering() async throws {
        let produced = SharedValue(0)
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            // Produced lazily, as fast as the connection takes it: up to 1 GiB.
            HTTPResponse(status: 200, body: .stream(AsyncStream(unfolding: {
                produced.update { total -> [UInt8]? in
                    guard total < 1 << 30 else { return nil }
                    total += chunk.count
                    return chunk
                }
            })))
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        var request = endpoint.request(path: "/logs")
        request.maxBufferedBytes = 256 * 1024
        let response = try await Self.client.stream(request)
        var consumed = 0
        for _ in 0..<20 {
            guard let bytes = try await response.nextChunk() else { break }
            consumed += bytes.count
            try await Task.sleep(for: .milliseconds(50))
        }
        // Everything the server produced is either read, held by libcurl (bounded) or in the
        // kernel's socket buffers: a few MiB at most, not the 1 GiB an unbounded reader would take.
        let inFlight = produced.value - consumed
        #expect(inFlight < 16 << 20, "server produced \(produced.value) bytes for \(consumed) read")
        #expect(response.peakBufferedBytes <= request.maxBufferedBytes + 64 * 1024)
        #expect(consumed > 0)
        // Reading at full speed afterwards gets the rest of a paused stream intact.
        var total = consumed
        while let bytes = try await response.nextChunk() {
            #expect(bytes.allSatisfy { $0 == 0x61 })
            total += bytes.count
            if total >= 64 << 20 { break }
        }
        #expect(total >= 64 << 20)
        response.cancel()
    }

    @Test func cancellingStopsAnEndlessStream() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            HTTPResponse(status: 200, body: .stream(AsyncStream { continuation in
                continuation.yield(Array("hello".utf8))
                // Never finished: a followed stream.
                Task {
                    try? await Task.sleep(for: .seconds(30))
                    continuation.finish()
                }
            }))
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        let response = try await Self.client.stream(endpoint.request(path: "/follow"))
        #expect(try await response.nextChunk() == Array("hello".utf8))
        let reader = Task { try await response.nextChunk() }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        reader.cancel()
        await #expect(throws: HTTPClientError.self) { try await reader.value }
        #expect(ContinuousClock.now - started < .seconds(5))
        await #expect(throws: HTTPClientError.self) { try await response.nextChunk() }
    }

    @Test func timeoutEndsARequestThatGetsNoAnswer() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            try? await Task.sleep(for: .seconds(20))
            return .text(200, "late")
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        let started = ContinuousClock.now
        do {
            _ = try await Self.client.send(endpoint.request(path: "/", timeout: .milliseconds(300)))
            Issue.record("expected a timeout")
        } catch let error as HTTPClientError {
            #expect(error.kind == .timeout)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func missingServerIsAConnectError() async throws {
        let endpoint = try HTTPEndpoint(parsing: "unix://" + Self.temporarySocketPath())
        do {
            _ = try await Self.client.send(endpoint.request(path: "/version"))
            Issue.record("expected a connect error")
        } catch let error as HTTPClientError {
            #expect(error.kind == .connect, "\(error)")
            #expect(error.description.contains("http://localhost/version"))
        }
    }

    @Test func oversizedBodyIsRefusedNotCollected() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            .text(200, String(repeating: "x", count: 100_000))
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        do {
            _ = try await Self.client.send(endpoint.request(path: "/"), maxBodyBytes: 1000)
            Issue.record("expected bodyTooLarge")
        } catch let error as HTTPClientError {
            #expect(error.kind == .bodyTooLarge)
        }
    }

    @Test func manyConcurrentTransfersShareTheLoop() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { request in
            .text(200, request.path)
        }
        defer { Task { await server.stop() } }
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(server.port)")
        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let response = try await Self.client.send(endpoint.request(path: "/item/\(index)"))
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            var bodies: [Int: String] = [:]
            for try await (index, body) in group { bodies[index] = body }
            return bodies
        }
        #expect(bodies.count == 64)
        #expect((0..<64).allSatisfy { bodies[$0] == "/item/\($0)" })
    }

    @Test func stoppedClientRefusesRequests() async throws {
        let client = CurlHTTPClient(threadName: "curl-stop-test")
        client.shutdown()
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:9")
        do {
            _ = try await client.send(endpoint.request(path: "/"))
            Issue.record("expected clientStopped")
        } catch let error as HTTPClientError {
            #expect(error.kind == .clientStopped)
        }
    }
}

/// A value shared between a test and the server's handlers.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}
