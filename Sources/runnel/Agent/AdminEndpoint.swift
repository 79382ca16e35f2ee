import Logging
import RunnelCore
import RunnelHTTP

/// The agent's admin HTTP endpoint (DESIGN §7): `/metrics`, `/status`, `/healthz` and a status page.
enum AdminEndpoint {
    /// Starts the endpoint unless `address` is empty or "off"; port 0 picks a free port. The bound
    /// address is written to `base_dir/admin.addr` so tests and tools can find it.
    static func start(agent: Agent, address: String, logger: Logger) async throws -> HTTPServer? {
        guard !address.isEmpty, address != "off" else { return nil }
        guard let separator = address.lastIndex(of: ":"), let port = Int(address[address.index(after: separator)...]) else {
            logger.error("admin_address must be host:port", metadata: ["admin_address": "\(address)"])
            return nil
        }
        var host = String(address[..<separator])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        let server = try await HTTPServer.start(host: host, port: port) { request in
            await handle(request, agent: agent)
        }
        do {
            try CheckpointStore.atomicWrite(Array((server.address + "\n").utf8), to: agent.global.baseDir + "/admin.addr")
        } catch {
            logger.warning("cannot write admin.addr", metadata: ["error": "\(error)"])
        }
        return server
    }

    static func handle(_ request: HTTPRequest, agent: Agent) async -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"):
            return .text(200, "ok\n")
        case ("GET", "/metrics"):
            return .text(200, PrometheusText.render(agent.status()), contentType: "text/plain; version=0.0.4")
        case ("GET", "/status"):
            return .json(200, StatusJSON.render(agent.status()))
        case ("GET", "/"):
            return .text(200, StatusPage.render(agent.status()), contentType: "text/html; charset=utf-8")
        case (_, "/healthz"), (_, "/metrics"), (_, "/status"), (_, "/"):
            return .text(405, "method not allowed\n")
        default:
            return .text(404, "not found\n")
        }
    }
}
