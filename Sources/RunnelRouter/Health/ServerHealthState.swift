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

/// Requests and 5xx responses in the last 60 seconds, in one-second buckets (one array, so a
/// request's count costs one uniqueness check).
struct MinuteCounter: Sendable {
    private struct Bucket: Sendable {
        var second: Int64 = -1
        var requests = 0
        var errors = 0
    }

    private var buckets = [Bucket](repeating: Bucket(), count: 60)

    mutating func record(is5xx: Bool, at now: NIODeadline) {
        let second = Int64(now.uptimeNanoseconds / 1_000_000_000)
        let slot = Int(second % 60)
        buckets.withUnsafeMutableBufferPointer { buckets in
            if buckets[slot].second != second { buckets[slot] = Bucket(second: second) }
            buckets[slot].requests += 1
            if is5xx { buckets[slot].errors += 1 }
        }
    }

    func totals(at now: NIODeadline) -> (requests: Int, errors: Int) {
        let second = Int64(now.uptimeNanoseconds / 1_000_000_000)
        var total = (requests: 0, errors: 0)
        for bucket in buckets where bucket.second > second - 60 {
            total.requests += bucket.requests
            total.errors += bucket.errors
        }
        return total
    }
}
