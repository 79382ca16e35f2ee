/// The values one field's percentiles are computed from, in one group and interval: every value
/// up to `exactLimit` (percentiles exact), then a `RelativeErrorSketch` (percentiles within 1 % of
/// the true value, whatever the count or the distribution's tail).
struct PercentileValues {
    let exactLimit: Int
    private var values: [Double] = []
    private var sketch: RelativeErrorSketch?

    init(exactLimit: Int) {
        self.exactLimit = exactLimit
    }

    @inline(__always)
    mutating func add(_ value: Double) {
        if sketch != nil {
            sketch?.add(value)
        } else if values.count < exactLimit {
            values.append(value)
        } else {
            var overflow = RelativeErrorSketch()
            for kept in values { overflow.add(kept) }
            overflow.add(value)
            sketch = overflow
            values = []
        }
    }

    var isExact: Bool { sketch == nil }

    /// Percentiles `ranks` (0…100), clamped to the exact `min`…`max` of the interval.
    func percentiles(_ ranks: [Double], min low: Double, max high: Double) -> [Double] {
        if let sketch {
            return ranks.compactMap { rank in
                // Nearest rank, the sketch's natural reading, over the interval's count.
                let position = Int((Double(sketch.count - 1) * rank / 100).rounded())
                return sketch.value(atRank: position).map { Swift.min(Swift.max($0, low), high) }
            }
        }
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        return ranks.compactMap { Self.percentile($0, ofSorted: sorted) }
    }

    /// Percentile `rank` (0…100) of `sorted` by linear interpolation between the closest ranks
    /// (Hyndman & Fan type 7, the default of numpy and of spreadsheets' PERCENTILE.INC).
    static func percentile(_ rank: Double, ofSorted sorted: [Double]) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let position = Double(sorted.count - 1) * rank / 100
        let lower = Int(position.rounded(.down))
        guard lower + 1 < sorted.count else { return sorted[sorted.count - 1] }
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
    }
}
