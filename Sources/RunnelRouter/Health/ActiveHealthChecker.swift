import Foundation
import NIOCore

/// Runs active checks for one upstream until cancelled: every `interval` (plus up to `jitter`),
/// all servers are probed concurrently; `fall` failures in a row mark a server err, `rise`
/// successes mark it ok again.
enum ActiveHealthChecker {
    static func run(pool: UpstreamPool, group: any EventLoopGroup) async {
        let config = pool.health
        guard config.interval > .zero else { return }
        while !Task.isCancelled {
            let jitterNanoseconds = config.jitter.nanosecondCount
            let extra = jitterNanoseconds > 0 ? Int64.random(in: 0...jitterNanoseconds) : 0
            do {
                try await Task.sleep(for: config.interval + .nanoseconds(extra))
            } catch {
                return
            }
            await withTaskGroup(of: Void.self) { tasks in
                for server in pool.allServers {
                    tasks.addTask {
                        let result = await HealthProbe.check(
                            server, path: config.path, host: pool.name, timeout: config.timeout.timeAmount, group: group)
                        apply(result, to: server, config: config)
                    }
                }
            }
        }
    }

    static func apply(_ result: Result<Int, ProbeFailure>, to server: UpstreamServer, config: HealthCheckConfig) {
        let failure: String?
        switch result {
        case .success(let status): failure = config.allows(status: status) ? nil : "health check status \(status)"
        case .failure(let problem): failure = "health check: \(problem.reason)"
        }
        server.state.withLock { state in
            if let failure {
                state.activeSuccesses = 0
                state.activeFailures += 1
                if state.active != .err && state.activeFailures >= config.fall {
                    state.active = .err
                    state.changed(failure)
                }
            } else {
                state.activeFailures = 0
                state.activeSuccesses += 1
                if state.active == .unchecked || (state.active == .err && state.activeSuccesses >= config.rise) {
                    state.active = .ok
                    state.changed(nil)
                }
            }
        }
    }
}
