import Testing
@testable import RunnelPlugins

@Suite("Percentiles: type-7 interpolation and the reservoir beyond max_samples")
struct PercentileReservoirTests {
    @Test func interpolation() {
        let sorted: [Double] = [1, 2, 3, 4]
        #expect(PercentileReservoir.percentile(0, ofSorted: sorted) == 1)
        #expect(PercentileReservoir.percentile(100, ofSorted: sorted) == 4)
        #expect(PercentileReservoir.percentile(50, ofSorted: sorted) == 2.5)
        #expect(PercentileReservoir.percentile(50, ofSorted: []) == nil)
        #expect(PercentileReservoir.percentile(99, ofSorted: [8]) == 8)
    }

    @Test func exactUpToCapacity() {
        var reservoir = PercentileReservoir(capacity: 5)
        var random = SampleRandom(seed: 3)
        for value in [5.0, 1, 4, 2, 3] { reservoir.add(value, random: &random) }
        #expect(reservoir.isExact)
        #expect(reservoir.values.sorted() == [1, 2, 3, 4, 5])
    }

    @Test func boundedBeyondCapacity() {
        var reservoir = PercentileReservoir(capacity: 64)
        var random = SampleRandom(seed: 3)
        for value in 0..<10_000 { reservoir.add(Double(value), random: &random) }
        #expect(!reservoir.isExact)
        #expect(reservoir.values.count == 64)
        #expect(reservoir.offered == 10_000)
        #expect(Set(reservoir.values).count == 64)
    }

    /// A uniform sample: every value is kept with probability k/n, so late values are as likely as
    /// early ones (a reservoir that kept the first k would put the median near k/2).
    @Test func sampleIsUniformOverTheInterval() {
        let count = 20_000, capacity = 1024
        var reservoir = PercentileReservoir(capacity: capacity)
        var random = SampleRandom(seed: 11)
        for value in 0..<count { reservoir.add(Double(value), random: &random) }
        let late = reservoir.values.filter { $0 >= Double(count / 2) }.count
        // Binomial(1024, 0.5): mean 512, sd 16.
        #expect(abs(late - capacity / 2) < 80)
        let median = PercentileReservoir.percentile(50, ofSorted: reservoir.values.sorted()) ?? 0
        // Rank error sd sqrt(0.25/1024) = 1.6 % of 20,000 = 312; allow 4 sd.
        #expect(abs(median - Double(count) / 2) < 1_250)
        let p99 = PercentileReservoir.percentile(99, ofSorted: reservoir.values.sorted()) ?? 0
        // sd sqrt(0.0099/1024) = 0.31 % of 20,000 = 62; allow 4 sd.
        #expect(abs(p99 - Double(count) * 0.99) < 250)
    }

    @Test func boundedBelowIsInRange() {
        var random = SampleRandom(seed: 5)
        for bound in [1, 2, 3, 1000, Int.max] {
            for _ in 0..<200 {
                let value = random.below(bound)
                #expect(value >= 0 && value < bound)
            }
        }
    }
}
