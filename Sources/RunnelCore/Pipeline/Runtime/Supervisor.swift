import Logging

/// How a supervised plugin ended.
public enum SupervisionEnd: Sendable, Equatable {
    /// It returned normally (an input whose source ended, an output whose queue closed).
    case finished
    /// Its task was cancelled (stop or reload).
    case cancelled
    /// It kept failing until its retries ran out; the last error's description.
    case exhausted(String)
}

/// Runs a plugin body, restarting it with backoff when it throws (DESIGN §6 "Plugin failure").
/// One failure is logged per restart, never a tight loop: the retry policy always waits.
public func supervise(
    _ name: String,
    policy: RetryPolicy,
    counters: PluginCounters,
    logger: Logger,
    beforeRestart: @Sendable () -> Void = {},
    body: @Sendable () async throws -> Void
) async -> SupervisionEnd {
    var failures = 0
    var generator = SystemRandomNumberGenerator()
    while true {
        if Task.isCancelled { return .cancelled }
        do {
            try await body()
            return Task.isCancelled ? .cancelled : .finished
        } catch {
            if Task.isCancelled { return .cancelled }
            failures += 1
            guard policy.allowsRetry(after: failures) else {
                logger.error("plugin failed; no retries left", metadata: ["plugin": "\(name)", "error": "\(error)"])
                return .exhausted("\(error)")
            }
            let wait = policy.wait(beforeAttempt: failures, using: &generator)
            logger.warning("plugin failed; restarting", metadata: [
                "plugin": "\(name)", "error": "\(error)", "attempt": "\(failures)", "wait": "\(wait)",
            ])
            do {
                try await Task.sleep(for: wait)
            } catch {
                return .cancelled
            }
            counters.add(\.restarts, 1)
            beforeRestart()
        }
    }
}
