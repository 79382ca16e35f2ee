import RunnelCore

/// Reads a server object from TOML (`{host = "10.0.0.1", port = 8080, weight = 2}`), the same
/// fields the API takes in JSON.
enum ServerSpecReading {
    struct Problem: Error { var reason: String }

    static func read(_ value: ConfigValue) -> Result<ServerSpec, Problem> {
        guard let table = value.tableValue else { return .failure(Problem(reason: "a server must be a table {host, port, …}")) }
        let known: Set<String> = ["host", "port", "weight", "max_fails", "fail_timeout"]
        if let unknown = table.keys.first(where: { !known.contains($0) }) {
            let hint = DidYouMean.suggestion(for: unknown, among: known).map { "; \($0)" } ?? ""
            return .failure(Problem(reason: "unknown server field '\(unknown)'\(hint)"))
        }
        guard let host = table["host"]?.stringValue, !host.isEmpty else { return .failure(Problem(reason: "a server needs 'host' (a string)")) }
        guard let port = table["port"]?.integerValue, (1...65535).contains(port) else {
            return .failure(Problem(reason: "server '\(host)' needs 'port' between 1 and 65535"))
        }
        let weight = table["weight"]?.integerValue ?? 1
        let maxFails = table["max_fails"]?.integerValue ?? 0
        let failTimeout = table["fail_timeout"]?.integerValue ?? 10
        guard (1...1000).contains(weight) else { return .failure(Problem(reason: "server '\(host)': 'weight' must be 1…1000")) }
        guard maxFails >= 0, failTimeout >= 0 else { return .failure(Problem(reason: "server '\(host)': 'max_fails' and 'fail_timeout' cannot be negative")) }
        return .success(ServerSpec(host: host, port: Int(port), weight: Int(weight), maxFails: Int(maxFails), failTimeout: Int(failTimeout)))
    }
}
