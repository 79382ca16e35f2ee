import Foundation
import Testing
@testable import RunnelPlugins

@Suite("Percentiles: exact up to max_samples, a relative-error sketch beyond")
struct PercentileTests {
    @Test func typeSevenInterpolation() {
        let sorted: [Double] = [1, 2, 3, 4]
        #expect(PercentileValues.percentile(0, ofSorted: sorted) == 1)
        #expect(PercentileValues.percentile(100, ofSorted: sorted) == 4)
        #expect(PercentileValues.percentile(50, ofSorted: sorted) == 2.5)
        #expect(PercentileValues.percentile(75, ofSorted: sorted) == 3.25)
        #expect(PercentileValues.percentile(50, ofSorted: []) == nil)
        #expect(PercentileValues.percentile(99, ofSorted: [8]) == 8)
    }

    @Test func exactUpToTheLimit() {
        var values = PercentileValues(exactLimit: 5)
        for value in [5.0, 1, 4, 2, 3] { values.add(value) }
        #expect(values.isExact)
        #expect(values.percentiles([0, 50, 90, 100], min: 1, max: 5) == [1, 3, 4.6, 5])
    }

    /// The nearest-rank order statistic a sketch estimates.
    static func nearestRank(_ rank: Double, of sorted: [Double]) -> Double {
        sorted[Int((Double(sorted.count - 1) * rank / 100).rounded())]
    }

    static func expectWithinOnePercent(_ data: [Double], exactLimit: Int = 16, sourceLocation: SourceLocation = #_sourceLocation) {
        var values = PercentileValues(exactLimit: exactLimit)
        for value in data { values.add(value) }
        #expect(!values.isExact, sourceLocation: sourceLocation)
        let sorted = data.sorted()
        let ranks: [Double] = [1, 10, 25, 50, 75, 90, 99]
        let estimates = values.percentiles(ranks, min: sorted[0], max: sorted[sorted.count - 1])
        #expect(estimates.count == ranks.count, sourceLocation: sourceLocation)
        for (rank, estimate) in zip(ranks, estimates) {
            let truth = nearestRank(rank, of: sorted)
            #expect(abs(estimate - truth) <= 0.01 * abs(truth) + 1e-12, "p\(rank): \(estimate) vs \(truth)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func sketchIsWithinOnePercentOnUniformData() {
        Self.expectWithinOnePercent((1...20_000).map { Double($0) })
    }

    @Test func sketchIsWithinOnePercentOnALongTail() {
        // Deterministic heavy tail: 1/(1-u) over a uniform grid (Pareto with exponent 1).
        Self.expectWithinOnePercent((0..<20_000).map { 1 / (1 - Double($0) / 20_000) })
    }

    @Test func sketchHandlesNegativesAndZeros() {
        Self.expectWithinOnePercent((0..<9_000).map { Double($0 % 300) - 100 })
        Self.expectWithinOnePercent((0..<5_000).map { -exp(Double($0) / 500) })
    }

    @Test func sketchEstimatesStayWithinMinAndMax() {
        var values = PercentileValues(exactLimit: 2)
        for value in [100.0, 100.0, 100.0, 100.0] { values.add(value) }
        #expect(values.percentiles([0, 50, 100], min: 100, max: 100) == [100, 100, 100])
    }

    @Test func sketchKeepsHighQuantilesWhenItRunsOutOfBuckets() {
        var sketch = RelativeErrorSketch(relativeAccuracy: 0.01, maxBuckets: 64)
        // 400 orders of magnitude: far more than 64 buckets; the lowest are merged.
        for exponent in -200...200 { sketch.add(pow(10, Double(exponent))) }
        #expect(sketch.count == 401)
        let top = sketch.value(atRank: 400) ?? 0
        #expect(abs(top - 1e200) <= 0.01 * 1e200)
        let low = sketch.value(atRank: 0) ?? 0
        #expect(low > 0 && low < 1e200)
        #expect(sketch.value(atRank: 10_000) != nil)  // ranks clamp
        #expect(RelativeErrorSketch().value(atRank: 0) == nil)
    }

    @Test func sketchCountsEveryValueOnce() {
        var sketch = RelativeErrorSketch()
        let data: [Double] = [-5, -1e-320, 0, 3, 3, 7e10, -2e-5]
        for value in data { sketch.add(value) }
        #expect(sketch.count == data.count)
        let read = (0..<data.count).compactMap { sketch.value(atRank: $0) }
        #expect(read.count == data.count)
        #expect(read == read.sorted())
    }
}
