/// One numeric field's values within one group and interval.
struct FieldAccumulator {
    private(set) var count = 0
    private(set) var sum = 0.0
    private(set) var min = Double.infinity
    private(set) var max = -Double.infinity
    /// nil when no percentile was asked for, so plain sums keep no values.
    private(set) var reservoir: PercentileReservoir?

    init(sampleCapacity: Int?) {
        reservoir = sampleCapacity.map(PercentileReservoir.init(capacity:))
    }

    @inline(__always)
    mutating func add(_ value: Double, random: inout SampleRandom) {
        count += 1
        sum += value
        if value < min { min = value }
        if value > max { max = value }
        reservoir?.add(value, random: &random)
    }

    var average: Double? { count > 0 ? sum / Double(count) : nil }

    /// The percentiles of `ranks` (0…100), in order; empty when there was no value.
    func percentiles(_ ranks: [Double]) -> [Double] {
        guard let values = reservoir?.values, !values.isEmpty else { return [] }
        let sorted = values.sorted()
        return ranks.compactMap { PercentileReservoir.percentile($0, ofSorted: sorted) }
    }
}
