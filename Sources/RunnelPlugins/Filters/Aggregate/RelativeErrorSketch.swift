import Foundation

/// A quantile sketch with bounded relative error (the DDSketch design: Masson, Rim & Lee, 2019):
/// each value goes into a logarithmic bucket `ceil(log_γ |v|)` with γ = (1+α)/(1−α), and a
/// quantile is read back as its bucket's midpoint, within α of the true order statistic's value
/// however many values were added and however long their tail.
///
/// At most `maxBuckets` buckets per sign are kept (with α = 1 %, 2048 buckets span 17 decades);
/// beyond, the buckets nearest zero are merged, so only the lowest quantiles lose accuracy.
struct RelativeErrorSketch {
    private let logGamma: Double
    private let gamma: Double
    private let maxBuckets: Int
    private var positive = DenseBuckets()
    private var negative = DenseBuckets()
    private var zeros = 0
    private(set) var count = 0

    init(relativeAccuracy: Double = 0.01, maxBuckets: Int = 2048) {
        gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
        logGamma = log(gamma)
        self.maxBuckets = maxBuckets
    }

    mutating func add(_ value: Double) {
        count += 1
        // Values this close to zero are zero at any useful accuracy, and their logarithm is huge.
        if abs(value) < 1e-300 {
            zeros += 1
        } else if value > 0 {
            positive.add(bucket(value), maxBuckets: maxBuckets)
        } else {
            negative.add(bucket(-value), maxBuckets: maxBuckets)
        }
    }

    @inline(__always)
    private func bucket(_ magnitude: Double) -> Int {
        Int((log(magnitude) / logGamma).rounded(.up))
    }

    /// The value at `rank` (0 = smallest, count−1 = largest) within the relative accuracy.
    func value(atRank rank: Int) -> Double? {
        guard count > 0 else { return nil }
        var remaining = min(max(rank, 0), count - 1)
        // Negative values, most negative (largest magnitude) first.
        for (index, bucketCount) in negative.descending() {
            if remaining < bucketCount { return -representative(index) }
            remaining -= bucketCount
        }
        if remaining < zeros { return 0 }
        remaining -= zeros
        for (index, bucketCount) in positive.ascending() {
            if remaining < bucketCount { return representative(index) }
            remaining -= bucketCount
        }
        return nil
    }

    /// The midpoint (in relative terms) of bucket `index`'s range (γ^(index−1), γ^index].
    private func representative(_ index: Int) -> Double {
        2 * exp(Double(index) * logGamma) / (gamma + 1)
    }
}

/// Counts per consecutive bucket index, stored densely from `offset`.
private struct DenseBuckets {
    private var counts: [Int] = []
    private var offset = 0

    mutating func add(_ index: Int, maxBuckets: Int) {
        guard !counts.isEmpty else {
            counts = [1]
            offset = index
            return
        }
        if index < offset {
            let grow = offset - index
            guard counts.count + grow <= maxBuckets else {
                // Below the kept range and no room: counted in the lowest bucket kept.
                counts[0] += 1
                return
            }
            counts.insert(contentsOf: repeatElement(0, count: grow), at: 0)
            offset = index
        } else if index >= offset + counts.count {
            counts.append(contentsOf: repeatElement(0, count: index - offset - counts.count + 1))
            if counts.count > maxBuckets {
                let excess = counts.count - maxBuckets
                let merged = counts[..<(excess + 1)].reduce(0, +)
                counts.removeFirst(excess)
                counts[0] = merged
                offset += excess
            }
        }
        counts[index - offset] += 1
    }

    func ascending() -> some Sequence<(index: Int, count: Int)> {
        counts.enumerated().lazy.filter { $0.element > 0 }.map { (index: $0.offset + offset, count: $0.element) }
    }

    func descending() -> some Sequence<(index: Int, count: Int)> {
        counts.enumerated().reversed().lazy.filter { $0.element > 0 }.map { (index: $0.offset + offset, count: $0.element) }
    }
}
