/// One numeric field's values within one group and interval.
struct FieldAccumulator {
    private(set) var count = 0
    private(set) var sum = 0.0
    private(set) var min = Double.infinity
    private(set) var max = -Double.infinity
    /// nil when no percentile was asked for, so plain sums keep no values.
    private(set) var percentileValues: PercentileValues?

    init(exactPercentileLimit: Int?) {
        percentileValues = exactPercentileLimit.map(PercentileValues.init(exactLimit:))
    }

    @inline(__always)
    mutating func add(_ value: Double) {
        count += 1
        sum += value
        if value < min { min = value }
        if value > max { max = value }
        percentileValues?.add(value)
    }

    var average: Double? { count > 0 ? sum / Double(count) : nil }

    /// The percentiles of `ranks` (0…100), in order; empty when there was no value.
    func percentiles(_ ranks: [Double]) -> [Double] {
        guard count > 0, let percentileValues else { return [] }
        return percentileValues.percentiles(ranks, min: min, max: max)
    }
}
