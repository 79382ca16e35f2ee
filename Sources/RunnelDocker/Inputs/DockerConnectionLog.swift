import Logging
import Synchronization

/// Logs the daemon's reachability once per change (not once per retry), so a dockerd that is
/// down for an hour leaves two lines in the agent's log, not thousands.
final class DockerConnectionLog: Sendable {
    private enum State { case unknown, up, down }
    private let state = Mutex(State.unknown)
    private let logger: Logger
    private let plugin: String
    private let endpoint: String

    init(logger: Logger, plugin: String, endpoint: String) {
        self.logger = logger
        self.plugin = plugin
        self.endpoint = endpoint
    }

    var isUp: Bool { state.withLock { $0 == .up } }

    func noteUp(apiVersion: String) {
        let previous = state.withLock { state in
            defer { state = .up }
            return state
        }
        guard previous != .up else { return }
        logger.info(previous == .down ? "dockerd reachable again" : "connected to dockerd",
                    metadata: ["plugin": "\(plugin)", "endpoint": "\(endpoint)", "api": "\(apiVersion)"])
    }

    func noteDown(_ error: any Error, retryIn wait: Duration) {
        let previous = state.withLock { state in
            defer { state = .down }
            return state
        }
        guard previous != .down else { return }
        logger.warning("dockerd unreachable; retrying with backoff, checkpoints kept",
                       metadata: ["plugin": "\(plugin)", "endpoint": "\(endpoint)", "error": "\(error)", "retry_in": "\(wait)"])
    }
}
