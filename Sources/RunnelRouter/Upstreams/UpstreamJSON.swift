import RunnelCore

/// Upstreams as the API and the state file write them: Slardar's server objects, in the short
/// form `{"servers": […]}` or the level form `{"cluster": [{"servers": […]}, …]}`.
enum UpstreamJSON {
    /// What a request body asks for.
    enum Change: Equatable {
        /// Short form: merge these servers into the upstream.
        case merge([ServerSpec], BalancerKind?)
        /// Level form: replace the upstream's levels.
        case replace([[ServerSpec]], BalancerKind?)
    }

    struct Problem: Error, Equatable { var message: String }

    static func parseChange(_ body: [UInt8]) -> Result<Change, Problem> {
        let document: JSONValue
        do {
            document = try JSONReader.parse(body)
        } catch {
            return .failure(Problem(message: "body is not JSON: \(error)"))
        }
        guard case .object(let members) = document else { return .failure(Problem(message: "body must be a JSON object")) }
        let known: Set<String> = ["servers", "cluster", "balancer", "hash_on"]
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            return .failure(Problem(message: "unknown field '\(unknown.key)'"
                + (DidYouMean.suggestion(for: unknown.key, among: known).map { "; \($0)" } ?? "")))
        }
        var balancer: BalancerKind?
        if case .string(let name)? = document["balancer"] {
            let hashOn: String?
            if case .string(let key)? = document["hash_on"] { hashOn = key } else { hashOn = nil }
            switch BalancerKind.parse(name, hashOn: hashOn) {
            case .success(let kind): balancer = kind
            case .failure(let error): return .failure(Problem(message: error.reason))
            }
        }
        switch (document["servers"], document["cluster"]) {
        case (let servers?, nil):
            return parseServers(servers).map { .merge($0, balancer) }
        case (nil, .array(let levels)?):
            var parsed: [[ServerSpec]] = []
            for level in levels {
                guard let servers = level["servers"] else { return .failure(Problem(message: "each cluster level needs 'servers'")) }
                switch parseServers(servers) {
                case .success(let list): parsed.append(list)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(.replace(parsed.filter { !$0.isEmpty }, balancer))
        case (.some, .some): return .failure(Problem(message: "give 'servers' or 'cluster', not both"))
        default: return .failure(Problem(message: "body needs 'servers' or 'cluster' (an array)"))
        }
    }

    static func parseServers(_ value: JSONValue) -> Result<[ServerSpec], Problem> {
        guard case .array(let items) = value else { return .failure(Problem(message: "'servers' must be an array")) }
        var servers: [ServerSpec] = []
        for item in items {
            guard case .object(let members) = item else { return .failure(Problem(message: "each server must be an object")) }
            var table = ConfigTable()
            for member in members {
                switch member.value {
                case .string(let text): table[member.key] = .string(text)
                case .integer(let number): table[member.key] = .integer(number)
                default: table[member.key] = .bool(false)
                }
            }
            switch ServerSpecReading.read(.table(table)) {
            case .success(let server): servers.append(server)
            case .failure(let problem): return .failure(Problem(message: problem.reason))
            }
        }
        return .success(servers)
    }

    static func write(_ spec: UpstreamSpec, into writer: inout JSONWriter) {
        writer.beginObject()
        if let balancer = spec.balancer {
            let names = balancer.names
            writer.member("balancer", names.balancer)
            if let hashOn = names.hashOn {
                writer.member("hash_on", hashOn)
            }
        }
        writer.key("cluster")
        writer.beginArray()
        for level in spec.levels {
            writer.beginObject()
            writer.key("servers")
            writeServers(level, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    static func writeServers(_ servers: [ServerSpec], into writer: inout JSONWriter) {
        writer.beginArray()
        for server in servers {
            writer.beginObject()
            writer.member("host", server.host)
            writer.member("port", server.port)
            writer.member("weight", server.weight)
            writer.member("max_fails", server.maxFails)
            writer.member("fail_timeout", server.failTimeout)
            writer.endObject()
        }
        writer.endArray()
    }
}
