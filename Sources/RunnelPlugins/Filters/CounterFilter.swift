import Foundation
import RunnelCore
import Synchronization

/// Heka's CounterFilter: counts the messages it receives and, every `ticker_interval` (default
/// 5 s) in which some arrived, emits a `heka.counter-output` message whose Payload reads
/// `Got 1234 messages. 246.80 msg/sec` (the total since start, and the rate since the previous
/// report). Every tenth report is followed by a summary of those ten rates:
/// `AGG Sum. Min: 200.00    Max: 300.00    Mean: 246.80`.
///
/// Beyond Heka, the numbers are also fields: on a report `count` (messages since the previous
/// report), `total`, `rate` (msg/s) and `elapsed` (seconds); on a summary `rate_min`,
/// `rate_max`, `rate_mean` and `samples`.
///
/// As in Heka, an interval with no message produces no report, and the next rate is measured
/// over the whole time since the previous report.
public final class CounterFilter: FilterPlugin {
    public static let outputType: ByteString = "heka.counter-output"
    static let ratesPerSummary = 10

    private let injector: FilterInjector
    private let state: Mutex<State>

    struct State {
        var total = 0
        var reportedTotal = 0
        var lastReport: ContinuousClock.Instant
        var rates: [Double] = []
        var deepest = DeepestContext()
        var ids = MessageIDGenerator()
    }

    /// `matcher` is the filter's own message_matcher (its output is never injected into itself).
    public init(matcher: MessageMatcher? = nil, startedAt: ContinuousClock.Instant = .now) {
        self.injector = FilterInjector(ownMatcher: matcher)
        self.state = Mutex(State(lastReport: startedAt))
    }

    public func process(_ messages: [Message], context: FilterContext) async throws {
        state.withLock { state in
            state.total += messages.count
            state.deepest.note(context)
        }
    }

    /// Counts messages without a runtime (tests).
    public func add(count: Int) {
        state.withLock { $0.total += count }
    }

    public func tick(context: FilterContext) async throws {
        let (messages, through) = state.withLock { state in
            let messages = report(&state, now: .now, timestamp: WallClock.nowNanoseconds(),
                                  hostname: context.hostname, logger: ByteString(context.name))
            return (messages, state.deepest.take(or: context))
        }
        await injector.inject(messages, through: through)
    }

    /// The report (and summary, every tenth) due at `now`: `tick` without a runtime.
    public func report(now: ContinuousClock.Instant, timestamp: Int64, hostname: ByteString, logger: ByteString) -> [Message] {
        state.withLock { report(&$0, now: now, timestamp: timestamp, hostname: hostname, logger: logger) }
    }

    private func report(_ state: inout State, now: ContinuousClock.Instant, timestamp: Int64,
                        hostname: ByteString, logger: ByteString) -> [Message] {
        let count = state.total - state.reportedTotal
        guard count > 0 else { return [] }
        let elapsed = Self.seconds(now - state.lastReport)
        let rate = elapsed > 0 ? Double(count) / elapsed : 0
        state.reportedTotal = state.total
        state.lastReport = now
        state.rates.append(rate)

        var message = injector.header(type: Self.outputType, timestamp: timestamp, hostname: hostname, logger: logger, ids: &state.ids)
        message.payload = ByteString("Got \(state.total) messages. \(Self.twoDecimals(rate)) msg/sec")
        message.fields = [.integer("count", Int64(count)), .integer("total", Int64(state.total)),
                          .double("rate", rate), .double("elapsed", elapsed)]
        guard state.rates.count >= Self.ratesPerSummary else { return [message] }

        let rates = state.rates
        state.rates.removeAll(keepingCapacity: true)
        let low = rates.min() ?? 0, high = rates.max() ?? 0, mean = rates.reduce(0, +) / Double(rates.count)
        var summary = injector.header(type: Self.outputType, timestamp: timestamp, hostname: hostname, logger: logger, ids: &state.ids)
        summary.payload = ByteString("AGG Sum. Min: \(Self.twoDecimals(low))    Max: \(Self.twoDecimals(high))    Mean: \(Self.twoDecimals(mean))")
        summary.fields = [.double("rate_min", low), .double("rate_max", high), .double("rate_mean", mean),
                          .integer("samples", Int64(rates.count))]
        return [message, summary]
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Go's `%0.2f` (C's `%.2f`): once per report, so Foundation's formatter is fine here.
    static func twoDecimals(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
