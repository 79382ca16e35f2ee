import Foundation
import Testing
import RunnelHTTP
import RunnelTestSupport
import RunnelCore

/// The admin server over a real loopback socket, spoken to with raw HTTP/1.1.
@Suite struct HTTPServerTests {
    /// Blocking socket I/O runs on a thread of its own: on the test's cooperative threads it could
    /// starve the server's own tasks (two cores, two cooperative threads).
    static func exchange(_ port: Int, _ raw: String) async throws -> String {
        let result: Result<String, Error> = await onOwnThread {
            Result {
                let socket = try LoopbackSocket(port: port)
                try socket.send(Array(raw.utf8))
                return String(decoding: socket.receiveAll(), as: UTF8.self)
            }
        }
        return try result.get()
    }

    @Test func answersWithStatusHeadersAndBodyOnAFreePort() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { request in
            .text(200, "path=\(request.path) query=\(request.queryItems["q"] ?? "-") body=\(request.body.count)\n")
        }
        defer { Task { await server.stop() } }
        #expect(server.port > 0)
        let response = try await Self.exchange(server.port, "POST /status?q=a%20b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Content-Length: 30\r\n"))
        #expect(response.hasSuffix("path=/status query=a b body=3\n"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { request in
            if request.path == "/slow" { try? await Task.sleep(for: .milliseconds(100)) }
            return .text(200, request.path)
        }
        defer { Task { await server.stop() } }
        let response = try await Self.exchange(server.port,
            "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let slow = try #require(response.range(of: "/slow"))
        let fast = try #require(response.range(of: "/fast"))
        #expect(slow.lowerBound < fast.lowerBound)
    }

    @Test func oversizedBodyGets413() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, maxBodyBytes: 10) { _ in .text(200, "ok") }
        defer { Task { await server.stop() } }
        let body = String(repeating: "x", count: 100)
        let response = try await Self.exchange(server.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n\(body)")
        #expect(response.hasPrefix("HTTP/1.1 413"))
    }

    @Test func streamingBodyIsChunked() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in
            HTTPResponse(status: 200, body: .stream(AsyncStream { continuation in
                continuation.yield(Array("one\n".utf8))
                continuation.yield(Array("two\n".utf8))
                continuation.finish()
            }))
        }
        defer { Task { await server.stop() } }
        let response = try await Self.exchange(server.port, "GET /tap HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(response.lowercased().contains("transfer-encoding: chunked"))
        #expect(response.contains("4\r\none\n\r\n4\r\ntwo\n\r\n0\r\n\r\n"))
    }

    @Test func malformedRequestGetsAnErrorNotACrash() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in .text(200, "ok") }
        defer { Task { await server.stop() } }
        let response = try await Self.exchange(server.port, "THIS IS NOT HTTP\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 400"))
        let after = try await Self.exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(after.hasSuffix("ok"))
    }
}
