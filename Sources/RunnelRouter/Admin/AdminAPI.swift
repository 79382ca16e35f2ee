import Foundation
import RunnelCore
import RunnelHTTP

/// The admin listener's routes: Slardar's `/status`, `/upstreams`, `/upstream/{name}` and
/// Runnel's manual eject/restore. Every request but an allowed `/status` needs the bearer token.
struct AdminAPI: Sendable {
    let registry: UpstreamRegistry
    let accessLog: AccessLogSink?
    let token: String?
    let allowUnauthenticatedStatus: Bool

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let isStatus = segments == ["status"] && request.method == "GET"
        if !(isStatus && allowUnauthenticatedStatus) && !AdminAuth.isAuthorized(request, token: token) {
            RouterLog.warning("admin: 401 for \(request.method) \(request.path) from \(request.remoteAddress ?? "?")")
            return Self.error(401, "a valid bearer token is required")
        }
        switch (request.method, segments.count, segments.first) {
        case ("GET", 1, "status"):
            return .json(200, StatusDocument.render(pools: Array(registry.routes.table.pools.values), accessLog: accessLog?.counters))
        case ("GET", 1, "upstreams"):
            return .json(200, upstreamsDocument())
        case (_, 2, "upstream"):
            return upstream(request, name: HostName.normalize(segments[1]))
        case ("POST", 5, "upstream") where segments[2] == "servers" && (segments[4] == "eject" || segments[4] == "restore"):
            return ejectOrRestore(request, name: HostName.normalize(segments[1]), address: segments[3], eject: segments[4] == "eject")
        default:
            return Self.error(404, "no such endpoint: \(request.method) \(request.path)")
        }
    }

    private func upstream(_ request: HTTPRequest, name: String) -> HTTPResponse {
        do {
            switch request.method {
            case "GET":
                guard let spec = registry.spec(name) else { return Self.error(404, "no upstream '\(name)'") }
                return .json(200, Self.document(spec))
            case "POST", "PUT":
                switch UpstreamJSON.parseChange(request.body) {
                case .success(let change):
                    let spec = try registry.apply(change, to: name)
                    RouterLog.info("admin: upstream '\(name)' now has \(spec.allServers.count) servers in \(spec.levels.count) levels")
                    return .json(200, Self.document(spec))
                case .failure(let problem):
                    return Self.error(400, problem.message)
                }
            case "DELETE":
                var addresses: Set<String>?
                if !request.body.isEmpty {
                    guard case .success(.merge(let servers, _)) = UpstreamJSON.parseChange(request.body) else {
                        return Self.error(400, "a DELETE body must be {\"servers\": [{\"host\", \"port\"}]}")
                    }
                    addresses = Set(servers.map(\.address))
                }
                try registry.delete(name, addresses: addresses)
                RouterLog.info("admin: deleted \(addresses.map { "\($0.count) servers of" } ?? "") upstream '\(name)'")
                return registry.spec(name).map { .json(200, Self.document($0)) } ?? .json(200, Array("{\"deleted\":true}\n".utf8))
            default:
                return Self.error(405, "method \(request.method) not allowed on /upstream/{name}")
            }
        } catch {
            return Self.error(error.status, error.message)
        }
    }

    private func ejectOrRestore(_ request: HTTPRequest, name: String, address: String, eject: Bool) -> HTTPResponse {
        guard let pool = registry.routes.table.pools[name] else { return Self.error(404, "no upstream '\(name)'") }
        guard let server = pool.server(address: address) else { return Self.error(404, "no server '\(address)' in upstream '\(name)'") }
        let body = request.body.isEmpty ? JSONValue.object([]) : ((try? JSONReader.parse(request.body)) ?? .null)
        var reason = "by API"
        if case .string(let given)? = body["reason"] { reason = given }
        guard eject else {
            pool.restore(server, reason: "restored: " + reason)
            RouterLog.info("admin: restored \(address) in '\(name)': \(reason)")
            return .json(200, StatusDocument.render(pools: [pool], accessLog: nil))
        }
        var duration = Duration.seconds(60)
        switch body["duration"] {
        case .integer(let seconds)?: duration = .seconds(seconds)
        case .double(let seconds)?: duration = .milliseconds(Int64(seconds * 1000))
        case .string(let text)?:
            guard let parsed = ConfigValue.string(text).durationValue else { return Self.error(400, "'duration' is not a duration: \(text)") }
            duration = parsed
        case nil: break
        default: return Self.error(400, "'duration' must be seconds or a string such as \"30s\"")
        }
        guard pool.eject(server, for: duration, reason: reason, manual: true) else {
            return Self.error(409, "refusing to eject \(address): it is the last available server of '\(name)'")
        }
        RouterLog.info("admin: ejected \(address) from '\(name)' for \(duration): \(reason)")
        return .json(200, StatusDocument.render(pools: [pool], accessLog: nil))
    }

    private func upstreamsDocument() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 4096)
        writer.beginObject()
        for (name, pool) in registry.routes.table.pools.sorted(by: { $0.key < $1.key }) {
            writer.key(name)
            UpstreamJSON.write(pool.spec, into: &writer)
        }
        writer.endObject()
        writer.lineBreak()
        return writer.bytes
    }

    private static func document(_ spec: UpstreamSpec) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024)
        UpstreamJSON.write(spec, into: &writer)
        writer.lineBreak()
        return writer.bytes
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        var writer = JSONWriter(reservingCapacity: 128)
        writer.beginObject()
        writer.member("error", message)
        writer.endObject()
        writer.lineBreak()
        var response = HTTPResponse.json(status, writer.bytes)
        if status == 401 { response.headers.append(("WWW-Authenticate", "Bearer")) }
        return response
    }
}
