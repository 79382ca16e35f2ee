import Foundation
import RunnelCore

/// The zone a timestamp is read in when its text carries no UTC offset (Heka's
/// `timestamp_location`): UTC, or an IANA zone (`America/Los_Angeles`, with its daylight-saving
/// rules from the system's tz database), or `Local`, the agent's own zone.
enum TimestampZone: Sendable {
    case utc
    case named(TimeZone)

    init(location: String?) throws(PluginBuildError) {
        switch location {
        case nil, "", "UTC", "utc", "Etc/UTC", "GMT":
            self = .utc
        case "Local":
            self = .named(TimeZone.current)
        case let name?:
            guard let zone = TimeZone(identifier: name) else {
                throw PluginBuildError(key: "timestamp_location",
                                       "unknown time zone '\(name)'; use an IANA name such as \"Europe/Paris\", or \"UTC\"")
            }
            self = .named(zone)
        }
    }

    /// The instant of a wall-clock time read as if it were UTC.
    func instant(ofWallClock wall: Int64) -> Int64 {
        guard case .named(let zone) = self else { return wall }
        // The offset depends on the instant, which depends on the offset: two steps settle it
        // (in the hour a clock jumps, the later of the two readings wins, like Go's time.Date).
        let firstGuess = offsetNanoseconds(zone, at: wall)
        let settled = offsetNanoseconds(zone, at: wall &- firstGuess)
        return wall &- settled
    }

    private func offsetNanoseconds(_ zone: TimeZone, at instant: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(instant) / 1e9)
        return Int64(zone.secondsFromGMT(for: date)) * 1_000_000_000
    }
}
