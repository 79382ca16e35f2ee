import RunnelHTTP
import Testing

@Suite struct HTTPServerStopTests {
    /// A stopped server must look stopped to clients holding kept-alive connections too (tests of
    /// outages rely on it): the next request on the client fails instead of being served.
    @Test func stopClosesKeptAliveConnections() async throws {
        let server = try await HTTPServer.start(host: "127.0.0.1", port: 0) { _ in .text(200, "ok") }
        let client = CurlHTTPClient(threadName: "stop-test")
        defer { client.shutdown() }
        let url = "http://127.0.0.1:\(server.port)/"
        // Generous: CPU-heavy tests running beside this one can hold both cooperative threads.
        #expect(try await client.send(HTTPClientRequest(url: url, timeout: .seconds(30))).status == 200)
        await server.stop()
        await #expect(throws: HTTPClientError.self) {
            _ = try await client.send(HTTPClientRequest(url: url, connectTimeout: .seconds(10), timeout: .seconds(30)))
        }
    }
}
