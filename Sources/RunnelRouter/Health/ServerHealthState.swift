import Foundation
import NIOCore

/// What the router knows about one server's health: active check results, passive failure
/// streaks, ejection and a one-minute request count. Guarded by the server's lock.
struct ServerHealthState: Sendable {
    enum ActiveState: String, Sendable { case unchecked, ok, err }

    var active: ActiveState = .unchecked
    var activeSuccesses = 0
    var activeFailures = 0
    var consecutive5xx = 0
    var consecutiveGatewayFailures = 0
    var ejectedUntil: NIODeadline?
    var ejectedUntilWall: Date?
    var timesEjected = 0
    var reason: String?
    var lastChange = Date()
    /// nginx `max_fails`/`fail_timeout`: failures counted since `failWindowStart`.
    var windowFailures = 0
    var failWindowStart = NIODeadline.uptimeNanoseconds(0)
    var skippedUntil: NIODeadline?
    var lastMinute = MinuteCounter()

    func isEjected(at now: NIODeadline) -> Bool { ejectedUntil.map { now < $0 } ?? false }

    func isAvailable(at now: NIODeadline) -> Bool {
        active != .err && !isEjected(at: now) && !(skippedUntil.map { now < $0 } ?? false)
    }

    /// ok, err, ejected or unchecked, as `/status` shows it.
    func statusName(at now: NIODeadline) -> String {
        if isEjected(at: now) { return "ejected" }
        if let skippedUntil, now < skippedUntil { return "err" }
        return active.rawValue
    }

    mutating func changed(_ reason: String?) {
        self.reason = reason
        lastChange = Date()
    }
}

/// Requests and 5xx responses in the last 60 seconds, in one-second buckets.
struct MinuteCounter: Sendable {
    private var requests = [Int](repeating: 0, count: 60)
    private var errors = [Int](repeating: 0, count: 60)
    private var seconds = [Int64](repeating: -1, count: 60)

    mutating func record(is5xx: Bool, at now: NIODeadline) {
        let second = Int64(now.uptimeNanoseconds / 1_000_000_000)
        let slot = Int(second % 60)
        if seconds[slot] != second {
            seconds[slot] = second
            requests[slot] = 0
            errors[slot] = 0
        }
        requests[slot] += 1
        if is5xx { errors[slot] += 1 }
    }

    func totals(at now: NIODeadline) -> (requests: Int, errors: Int) {
        let second = Int64(now.uptimeNanoseconds / 1_000_000_000)
        var total = (requests: 0, errors: 0)
        for slot in 0..<60 where seconds[slot] > second - 60 {
            total.requests += requests[slot]
            total.errors += errors[slot]
        }
        return total
    }
}
