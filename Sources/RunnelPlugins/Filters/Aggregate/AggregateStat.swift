/// One statistic the AggregateFilter emits per aggregated field: `F_count`, `F_sum`, `F_avg`,
/// `F_min`, `F_max`, or a percentile `F_pN` (N from 1 to 99).
public enum AggregateStat: Sendable, Hashable, CustomStringConvertible {
    case count, sum, avg, min, max
    case percentile(Int)

    public static let defaults: [AggregateStat] = [.count, .sum, .avg, .min, .max, .percentile(50), .percentile(90), .percentile(99)]

    /// `count`, `sum`, `avg`, `min`, `max`, or `p` followed by 1…99 (`p50`, `p95`, `p99`).
    public init?(name: String) {
        switch name {
        case "count": self = .count
        case "sum": self = .sum
        case "avg": self = .avg
        case "min": self = .min
        case "max": self = .max
        default:
            guard name.hasPrefix("p"), let rank = Int(name.dropFirst()), (1...99).contains(rank),
                  String(rank) == name.dropFirst() else { return nil }
            self = .percentile(rank)
        }
    }

    public var description: String {
        switch self {
        case .count: "count"
        case .sum: "sum"
        case .avg: "avg"
        case .min: "min"
        case .max: "max"
        case .percentile(let rank): "p\(rank)"
        }
    }
}
