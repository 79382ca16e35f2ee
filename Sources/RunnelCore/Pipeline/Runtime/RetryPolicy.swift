/// Heka's `[X.retries]`: how a failed plugin is restarted. The delay doubles from `delay` up to
/// `maxDelay`, plus up to `maxJitter` of random jitter so restarts of many agents do not align.
public struct RetryPolicy: Sendable, Equatable {
    public var delay: Duration
    public var maxDelay: Duration
    public var maxJitter: Duration
    /// -1 retries forever; 0 never restarts.
    public var maxRetries: Int

    public static let heka = RetryPolicy(delay: .milliseconds(250), maxDelay: .seconds(30),
                                         maxJitter: .milliseconds(500), maxRetries: -1)

    public init(delay: Duration, maxDelay: Duration, maxJitter: Duration, maxRetries: Int) {
        self.delay = delay
        self.maxDelay = maxDelay
        self.maxJitter = maxJitter
        self.maxRetries = maxRetries
    }

    /// True when a plugin that failed `failures` times in a row may be restarted again.
    public func allowsRetry(after failures: Int) -> Bool {
        maxRetries < 0 || failures <= maxRetries
    }

    /// The wait before restart number `attempt` (1-based), jitter included.
    public func wait<G: RandomNumberGenerator>(beforeAttempt attempt: Int, using generator: inout G) -> Duration {
        var wait = delay
        for _ in 1..<max(1, attempt) {
            wait = wait * 2
            if wait >= maxDelay { break }
        }
        wait = min(wait, maxDelay)
        let jitterNanos = maxJitter.nanoseconds
        if jitterNanos > 0 {
            wait += .nanoseconds(Int64.random(in: 0...jitterNanos, using: &generator))
        }
        return wait
    }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }
}
