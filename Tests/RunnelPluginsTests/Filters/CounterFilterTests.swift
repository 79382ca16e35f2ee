import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite("CounterFilter: Heka's heka-counter-output reports")
struct CounterFilterTests {
    let start = ContinuousClock.now

    private func report(_ filter: CounterFilter, after seconds: Double) -> [Message] {
        filter.report(now: start + .milliseconds(Int64(seconds * 1000)), timestamp: 99, hostname: "h", logger: "CounterFilter")
    }

    @Test func reportsTotalAndRate() throws {
        let filter = CounterFilter(startedAt: start)
        filter.add(count: 30)
        let messages = report(filter, after: 5)
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.type == "heka.counter-output")
        #expect(message.payload == "Got 30 messages. 6.00 msg/sec")
        #expect(message.integer("count") == 30)
        #expect(message.integer("total") == 30)
        #expect(message.double("rate") == 6)
        #expect(message.double("elapsed") == 5)
        #expect(message.timestamp == 99)
        #expect(message.hostname == "h")
        #expect(message.logger == "CounterFilter")
    }

    @Test func payloadShowsTheTotalSinceStart() throws {
        let filter = CounterFilter(startedAt: start)
        filter.add(count: 10)
        _ = report(filter, after: 5)
        filter.add(count: 7)
        let second = try #require(report(filter, after: 10).first)
        #expect(second.payload == "Got 17 messages. 1.40 msg/sec")
        #expect(second.integer("count") == 7)
        #expect(second.integer("total") == 17)
    }

    @Test func silentIntervalsReportNothingAndStretchTheNextRate() throws {
        let filter = CounterFilter(startedAt: start)
        #expect(report(filter, after: 5).isEmpty)
        #expect(report(filter, after: 10).isEmpty)
        filter.add(count: 3)
        let message = try #require(report(filter, after: 15).first)
        #expect(message.payload == "Got 3 messages. 0.20 msg/sec")
        #expect(message.double("elapsed") == 15)
    }

    @Test func everyTenthReportAddsASummary() throws {
        let filter = CounterFilter(startedAt: start)
        var summaries: [Message] = []
        for round in 1...20 {
            filter.add(count: round * 5)  // rates 1, 2, … per second over 5 s
            let messages = report(filter, after: Double(round) * 5)
            #expect(messages.count == (round % 10 == 0 ? 2 : 1))
            summaries += messages.dropFirst()
        }
        #expect(summaries.count == 2)
        #expect(summaries.first?.payload == "AGG Sum. Min: 1.00    Max: 10.00    Mean: 5.50")
        #expect(summaries.first?.double("rate_min") == 1)
        #expect(summaries.first?.double("rate_max") == 10)
        #expect(summaries.first?.double("rate_mean") == 5.5)
        #expect(summaries.first?.integer("samples") == 10)
        #expect(summaries.last?.payload == "AGG Sum. Min: 11.00    Max: 20.00    Mean: 15.50")
        #expect(summaries.allSatisfy { $0.type == "heka.counter-output" })
    }

    @Test func twoDecimalsRoundLikeGo() {
        #expect(CounterFilter.twoDecimals(0) == "0.00")
        #expect(CounterFilter.twoDecimals(2.0 / 3.0) == "0.67")
        #expect(CounterFilter.twoDecimals(1234567.891) == "1234567.89")
    }
}
