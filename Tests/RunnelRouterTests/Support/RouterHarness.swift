import Foundation
import NIOCore
import RunnelCore
@testable import RunnelRouter

/// A router running in the test process on free loopback ports, configured from TOML text, plus
/// helpers to call its proxy and admin listeners over real sockets.
struct RouterHarness {
    static let token = "test-token"
    let server: RouterServer
    var proxyPort: Int { server.listenerPorts.first ?? 0 }
    var adminPort: Int { server.adminPort }

    /// `extra` is appended to a config with one listener and the admin API on port 0.
    static func start(_ extra: String, stateDirectory: String? = nil) async throws -> RouterHarness {
        let text = """
            \(stateDirectory.map { "[router]\nstate_dir = \"\($0)\"\n" } ?? "")
            [[listener]]
            address = "127.0.0.1:0"

            [admin]
            address = "127.0.0.1:0"
            token = "\(token)"

            \(extra)
            """
        let result = RouterConfigLoader(environment: [:]).load(text: text)
        guard let config = result.config else { throw HarnessError(description: "config: \(result.diagnostics)") }
        return RouterHarness(server: try await RouterServer.start(config))
    }

    /// A router whose upstream `app` has servers on these loopback ports; `extra` comes first.
    static func start(app ports: [Int], _ extra: String = "", stateDirectory: String? = nil) async throws -> RouterHarness {
        try await start(extra + "\n[upstream.app]\nservers = \(servers(ports))\n", stateDirectory: stateDirectory)
    }

    func stop() async { await server.stop() }

    /// One request on a fresh connection.
    func get(_ host: String, _ path: String = "/", headers: [String] = []) async throws -> RawResponse {
        let connection = try await RawConnection.connect(port: proxyPort)
        defer { connection.close() }
        try await connection.send(Self.request("GET", path, host: host, headers: headers + ["Connection: close"]))
        return try await connection.readResponse()
    }

    static func request(_ method: String, _ path: String, host: String, headers: [String] = [], body: String? = nil) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + (body ?? "")
    }

    func admin(_ method: String, _ path: String, body: String? = nil, token: String? = RouterHarness.token) async throws -> RawResponse {
        let connection = try await RawConnection.connect(port: adminPort)
        defer { connection.close() }
        var headers = ["Connection: close"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        try await connection.send(Self.request(method, path, host: "admin", headers: headers, body: body ?? (method == "GET" ? nil : "")))
        return try await connection.readResponse()
    }

    static func servers(_ ports: [Int]) -> String {
        "[" + ports.map { "{ host = \"127.0.0.1\", port = \($0) }" }.joined(separator: ", ") + "]"
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
