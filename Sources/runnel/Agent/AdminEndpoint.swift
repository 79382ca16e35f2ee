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

    /// `/tap?matcher=EXPR&plugin=NAME`: JSON lines of live messages until the client disconnects.
    static func tapResponse(_ request: HTTPRequest, agent: Agent) -> HTTPResponse {
        let query = request.queryItems
        let matcher: MessageMatcher
        do {
            matcher = try MessageMatcher(query["matcher"] ?? "TRUE")
        } catch {
            return .text(400, "\(error)\n")
        }
        let tap = agent.tap(matcher: matcher, plugin: query["plugin"].flatMap { $0.isEmpty ? nil : $0 })
        let lines = AsyncStream<[UInt8]> { continuation in
            let pump = Task {
                for await message in tap.messages {
                    var line = MessageJSON.encode(message)
                    line.append(0x0A)
                    if case .terminated = continuation.yield(line) { break }
                }
                continuation.finish()
            }
            // A blank line every few seconds: a client that went away is noticed even when no
            // message matches (the write fails), and its tap is removed.
            let heartbeat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(5))
                    if case .terminated = continuation.yield([0x0A]) { break }
                }
            }
            continuation.onTermination = { _ in
                pump.cancel()
                heartbeat.cancel()
                agent.endTap(tap)
            }
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/x-ndjson")], body: .stream(lines))
    }

    static func handle(_ request: HTTPRequest, agent: Agent) async -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"):
            return .text(200, "ok\n")
        case ("GET", "/metrics"):
            return .text(200, PrometheusText.render(agent.status()), contentType: "text/plain; version=0.0.4")
        case ("GET", "/status"):
            return .json(200, StatusJSON.render(agent.status()))
        case ("GET", "/tap"):
            return tapResponse(request, agent: agent)
        case ("GET", "/"):
            return .text(200, StatusPage.render(agent.status()), contentType: "text/html; charset=utf-8")
        case (_, "/healthz"), (_, "/metrics"), (_, "/status"), (_, "/tap"), (_, "/"):
            return .text(405, "method not allowed\n")
        default:
            return .text(404, "not found\n")
        }
    }
}
