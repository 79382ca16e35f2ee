import Foundation
import NIOCore
import Synchronization

/// One server of an upstream at run time. The same object is kept when an API update leaves the
/// server in place, so its health, ejections and counters survive pool changes.
final class UpstreamServer: Sendable {
    let spec: ServerSpec
    let address: String
    /// Resolved once when the host is an IP literal; nil means resolve on connect.
    let socketAddress: SocketAddress?
    let state = Mutex(ServerHealthState())
    let activeRequests = Atomic<Int>(0)

    init(spec: ServerSpec) {
        self.spec = spec
        self.address = spec.address
        self.socketAddress = try? SocketAddress(ipAddress: spec.host, port: spec.port)
    }

    /// The same server with new weight or failure settings, keeping health and counters.
    init(spec: ServerSpec, keeping other: UpstreamServer) {
        self.spec = spec
        self.address = spec.address
        self.socketAddress = other.socketAddress
        state.withLock { $0 = other.state.withLock { $0 } }
    }

    func isAvailable(at now: NIODeadline) -> Bool { state.withLock { $0.isAvailable(at: now) } }

    /// Counts a finished attempt; returns true when a passive rule asks for an ejection.
    func record(_ outcome: RequestOutcome, ejection: EjectionConfig, at now: NIODeadline) -> Bool {
        let maxFails = spec.maxFails, failTimeout = Int64(spec.failTimeout)
        return state.withLock { state in
            state.lastMinute.record(is5xx: outcome.is5xx, at: now)
            if outcome.is5xx { state.consecutive5xx += 1 } else { state.consecutive5xx = 0 }
            if outcome.isGatewayFailure { state.consecutiveGatewayFailures += 1 } else { state.consecutiveGatewayFailures = 0 }
            if maxFails > 0 && outcome.isGatewayFailure {
                if now - state.failWindowStart > .seconds(failTimeout) {
                    state.failWindowStart = now
                    state.windowFailures = 0
                }
                state.windowFailures += 1
                if state.windowFailures >= maxFails {
                    state.skippedUntil = now + .seconds(failTimeout)
                    state.windowFailures = 0
                    state.changed("max_fails reached")
                }
            }
            guard !state.isEjected(at: now) else { return false }
            return (ejection.consecutive5xx > 0 && state.consecutive5xx >= ejection.consecutive5xx)
                || (ejection.consecutiveGatewayFailures > 0 && state.consecutiveGatewayFailures >= ejection.consecutiveGatewayFailures)
        }
    }
}
