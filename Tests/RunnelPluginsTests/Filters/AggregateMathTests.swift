import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite("AggregateFilter aggregation math")
struct AggregateMathTests {
    @Test func exactStatisticsForOneGroup() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], fields: ["cpuPercent"])
        let messages = [10.0, 20, 30, 40].enumerated().map { index, cpu in
            FilterFixtures.stats(app: "/demo/web", container: "c\(index)", cpu: cpu)
        }
        let interval = FilterFixtures.interval(options, messages)
        let report = try #require(interval.messages.first)
        #expect(interval.messages.count == 1)
        #expect(report.text("MARATHON_APP_ID") == "/demo/web")
        #expect(report.integer("count") == 4)
        #expect(report.integer("cpuPercent_count") == 4)
        #expect(report.double("cpuPercent_sum") == 100)
        #expect(report.double("cpuPercent_avg") == 25)
        #expect(report.double("cpuPercent_min") == 10)
        #expect(report.double("cpuPercent_max") == 40)
        // Type-7 percentiles of 10, 20, 30, 40: positions 1.5, 2.7, 2.97.
        #expect(report.double("cpuPercent_p50") == 25)
        #expect(abs((report.double("cpuPercent_p90") ?? 0) - 37) < 1e-9)
        #expect(abs((report.double("cpuPercent_p99") ?? 0) - 39.7) < 1e-9)
    }

    @Test func headerOfEmittedMessage() throws {
        var options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], fields: ["cpuPercent"])
        options.type = "AppStats"
        let report = try #require(FilterFixtures.interval(options, [FilterFixtures.stats(app: "/a", container: "c", cpu: 1)]).messages.first)
        #expect(report.type == "AppStats")
        #expect(report.timestamp == 1_700_000_010_000_000_000)
        #expect(report.hostname == "agent-host")
        #expect(report.logger == "app_stats")
        #expect(report.uuid != nil)
        #expect(report.pid != nil)
        #expect(report.fieldNames == ["MARATHON_APP_ID", "count", "cpuPercent_count", "cpuPercent_sum", "cpuPercent_avg",
                                      "cpuPercent_min", "cpuPercent_max", "cpuPercent_p50", "cpuPercent_p90", "cpuPercent_p99"])
    }

    @Test func percentilesOfOneToHundred() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["p50", "p90", "p99", "p1"])
        let messages = (1...100).reversed().map { value in
            Message(type: "t", fields: [.integer("v", Int64(value))])
        }
        let report = try #require(FilterFixtures.interval(options, messages).messages.first)
        #expect(report.double("v_p50") == 50.5)
        #expect(abs((report.double("v_p90") ?? 0) - 90.1) < 1e-9)
        #expect(abs((report.double("v_p99") ?? 0) - 99.01) < 1e-9)
        #expect(abs((report.double("v_p1") ?? 0) - 1.99) < 1e-9)
        #expect(report.fieldNames == ["count", "v_p50", "v_p90", "v_p99", "v_p1"])
    }

    @Test func singleValuePercentilesAreTheValue() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["p50", "p99"])
        let report = try #require(FilterFixtures.interval(options, [Message(fields: [.double("v", 3.5)])]).messages.first)
        #expect(report.double("v_p50") == 3.5)
        #expect(report.double("v_p99") == 3.5)
    }

    @Test func messagesWithoutTheFieldDoNotContribute() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], fields: ["cpuPercent", "rssPercent"])
        let messages = [
            FilterFixtures.stats(app: "/w", container: "a", cpu: 50, rss: nil),
            FilterFixtures.stats(app: "/w", container: "b", cpu: nil, rss: 20),
            FilterFixtures.stats(app: "/w", container: "c", cpu: nil, rss: nil),
        ]
        let report = try #require(FilterFixtures.interval(options, messages).messages.first)
        #expect(report.integer("count") == 3)
        #expect(report.integer("cpuPercent_count") == 1)
        #expect(report.double("cpuPercent_avg") == 50)
        #expect(report.integer("rssPercent_count") == 1)
        #expect(report.double("rssPercent_max") == 20)
    }

    @Test func aFieldNoMessageCarriedReportsOnlyItsCount() throws {
        let options = try FilterFixtures.options(fields: ["absent"])
        let report = try #require(FilterFixtures.interval(options, [Message(type: "x")]).messages.first)
        #expect(report.integer("absent_count") == 0)
        #expect(report.fieldNames == ["count", "absent_count"])
    }

    @Test func integerAndDoubleValuesMix() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["count", "sum", "min", "max", "avg"])
        let messages = [
            Message(fields: [.integer("v", 3)]),
            Message(fields: [.double("v", 0.5)]),
            Message(fields: [.integer("v", -2)]),
            Message(fields: [.string("v", "7")]),  // text does not count
            Message(fields: [.bool("v", true)]),
        ]
        let report = try #require(FilterFixtures.interval(options, messages).messages.first)
        #expect(report.integer("v_count") == 3)
        #expect(report.double("v_sum") == 1.5)
        #expect(report.double("v_min") == -2)
        #expect(report.double("v_max") == 3)
        #expect(report.double("v_avg") == 0.5)
    }

    @Test func nonFiniteValuesAreSkipped() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["count", "sum"])
        let messages = [Double.nan, .infinity, -.infinity, 2].map { Message(fields: [.double("v", $0)]) }
        let report = try #require(FilterFixtures.interval(options, messages).messages.first)
        #expect(report.integer("v_count") == 1)
        #expect(report.double("v_sum") == 2)
    }

    @Test func valuesAreChosenByIndices() throws {
        let options = try FilterFixtures.options(fields: ["Fields[v][1][2]"], stats: ["sum"])
        let message = Message(fields: [.integer("v", 100), Field(name: "v", values: .integer([1, 2, 3]))])
        let report = try #require(FilterFixtures.interval(options, [message]).messages.first)
        #expect(report.double("v_sum") == 3)
    }

    @Test func groupsSplitByEveryVariableInFirstSeenOrder() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]", "Hostname"], fields: ["cpuPercent"],
                                                 stats: ["sum"])
        var onOtherHost = FilterFixtures.stats(app: "/web", container: "z", cpu: 5)
        onOtherHost.hostname = "node-2"
        let messages = [
            FilterFixtures.stats(app: "/web", container: "a", cpu: 1),
            FilterFixtures.stats(app: "/worker", container: "b", cpu: 2),
            FilterFixtures.stats(app: "/web", container: "c", cpu: 3),
            onOtherHost,
        ]
        let reports = FilterFixtures.interval(options, messages).messages
        #expect(reports.map { "\($0.text("MARATHON_APP_ID") ?? "-")@\($0.text("Hostname") ?? "-")" }
            == ["/web@node-1", "/worker@node-1", "/web@node-2"])
        #expect(reports.map { $0.double("cpuPercent_sum") } == [4, 2, 5])
        #expect(reports.map { $0.integer("count") } == [2, 1, 1])
    }

    @Test func missingGroupValuesUseMissingValue() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"]) { $0.missingValue = ByteString("none") }
        let reports = FilterFixtures.interval(options, [
            FilterFixtures.stats(app: nil, container: "a"),
            FilterFixtures.stats(app: nil, container: "b"),
            FilterFixtures.stats(app: "none", container: "c"),
        ]).messages
        #expect(reports.count == 1)
        #expect(reports.first?.text("MARATHON_APP_ID") == "none")
        #expect(reports.first?.integer("count") == 3)
    }

    @Test func missingValueDefaultsToEmpty() throws {
        let options = try FilterFixtures.options(groupBy: ["Logger", "Fields[n]"])
        let reports = FilterFixtures.interval(options, [Message(type: "x", fields: [.integer("n", 4)])]).messages
        #expect(reports.first?.text("Logger") == "")
        #expect(reports.first?.text("n") == "4")  // numbers group by their text
    }

    @Test func noGroupByMakesOneGroup() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["sum"])
        let reports = FilterFixtures.interval(options, (1...5).map { Message(type: ByteString("t\($0)"), fields: [.integer("v", Int64($0))]) }).messages
        #expect(reports.count == 1)
        #expect(reports.first?.double("v_sum") == 15)
        #expect(reports.first?.fieldNames == ["count", "v_sum"])
    }

    @Test func maxGroupsRefusesNewGroupsAndCountsThem() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"]) { $0.maxGroups = 2 }
        let filter = AggregateFilter(options: options)
        let refusedFirst = filter.add([
            FilterFixtures.stats(app: "/a", container: "1"), FilterFixtures.stats(app: "/b", container: "2"),
            FilterFixtures.stats(app: "/c", container: "3"), FilterFixtures.stats(app: "/a", container: "4"),
        ])
        let refusedSecond = filter.add([FilterFixtures.stats(app: "/d", container: "5"), FilterFixtures.stats(app: "/b", container: "6")])
        #expect(refusedFirst == 1)
        #expect(refusedSecond == 1)
        let interval = filter.endInterval(at: 1, hostname: "h", logger: "l")
        #expect(interval.overflowMessages == 2)
        #expect(interval.messages.map { $0.text("MARATHON_APP_ID") } == ["/a", "/b"])
        #expect(interval.messages.map { $0.integer("count") } == [2, 2])

        // A new interval starts with room again.
        #expect(filter.add([FilterFixtures.stats(app: "/d", container: "7")]) == 0)
        let next = filter.endInterval(at: 2, hostname: "h", logger: "l")
        #expect(next.overflowMessages == 0)
        #expect(next.messages.map { $0.text("MARATHON_APP_ID") } == ["/d"])
    }

    @Test func distinctCountsPerGroup() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], distinct: ["ContainerID", "Hostname"])
        var elsewhere = FilterFixtures.stats(app: "/web", container: "c3")
        elsewhere.hostname = "node-2"
        let reports = FilterFixtures.interval(options, [
            FilterFixtures.stats(app: "/web", container: "c1"),
            FilterFixtures.stats(app: "/web", container: "c2"),
            FilterFixtures.stats(app: "/web", container: "c1"),
            elsewhere,
            FilterFixtures.stats(app: "/worker", container: "c9"),
        ]).messages
        #expect(reports.map { $0.integer("ContainerID_distinct") } == [3, 1])
        #expect(reports.map { $0.integer("Hostname_distinct") } == [2, 1])
        #expect(reports.first?.fieldNames == ["MARATHON_APP_ID", "count", "ContainerID_distinct", "Hostname_distinct"])
    }

    @Test func distinctSaturatesAtItsLimit() throws {
        let options = try FilterFixtures.options(distinct: ["id"]) { $0.maxDistinct = 3 }
        let interval = FilterFixtures.interval(options, (0..<10).map { Message(fields: [.string("id", ByteString("v\($0)"))]) })
        #expect(interval.messages.first?.integer("id_distinct") == 3)
        #expect(interval.saturatedDistinct == ["id"])
        let below = FilterFixtures.interval(options, (0..<10).map { Message(fields: [.string("id", ByteString("v\($0 % 3)"))]) })
        #expect(below.messages.first?.integer("id_distinct") == 3)
        #expect(below.saturatedDistinct.isEmpty)
    }

    @Test func missingDistinctValuesAreNotCounted() throws {
        let options = try FilterFixtures.options(distinct: ["ContainerID"])
        let reports = FilterFixtures.interval(options, [Message(type: "a"), Message(type: "b")]).messages
        #expect(reports.first?.integer("ContainerID_distinct") == 0)
    }

    @Test func theIssueFourAppStatsShape() throws {
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], fields: ["cpuPercent", "rssPercent"],
                                                 stats: ["sum", "avg", "max"], distinct: ["ContainerID"]) { $0.type = "AppStats" }
        let reports = FilterFixtures.interval(options, [
            FilterFixtures.stats(app: "/demo/web", container: "a1", cpu: 12.5, rss: 30),
            FilterFixtures.stats(app: "/demo/web", container: "a2", cpu: 7.5, rss: 50),
            FilterFixtures.stats(app: "/demo/worker", container: "b1", cpu: 90, rss: 10),
        ]).messages
        let web = try #require(reports.first)
        #expect(web.type == "AppStats")
        #expect(web.integer("ContainerID_distinct") == 2)
        #expect(web.double("cpuPercent_sum") == 20)
        #expect(web.double("cpuPercent_avg") == 10)
        #expect(web.double("cpuPercent_max") == 12.5)
        #expect(web.double("rssPercent_avg") == 40)
        #expect(web.double("rssPercent_max") == 50)
        #expect(reports.last?.integer("ContainerID_distinct") == 1)
    }

    @Test func intervalsStartFresh() throws {
        let options = try FilterFixtures.options(groupBy: ["Type"], fields: ["v"], stats: ["sum"])
        let filter = AggregateFilter(options: options)
        filter.add([Message(type: "a", fields: [.integer("v", 1)])])
        #expect(filter.endInterval(at: 1, hostname: "h", logger: "l").messages.count == 1)
        #expect(filter.endInterval(at: 2, hostname: "h", logger: "l").messages.isEmpty)
        filter.add([Message(type: "b", fields: [.integer("v", 5)])])
        let third = filter.endInterval(at: 3, hostname: "h", logger: "l").messages
        #expect(third.map { $0.text("Type") } == ["b"])
        #expect(third.first?.double("v_sum") == 5)
    }

    @Test func emitEmptyReportsIdleGroupsUntilTheyExpire() throws {
        let options = try FilterFixtures.options(groupBy: ["Type"], fields: ["v"], stats: ["count", "sum"], distinct: ["id"]) {
            $0.emitEmpty = true
            $0.groupExpiry = .seconds(25)
        }
        let second: Int64 = 1_000_000_000
        let filter = AggregateFilter(options: options)
        filter.add([Message(type: "a", fields: [.integer("v", 1), .string("id", "x")])])
        #expect(filter.endInterval(at: 10 * second, hostname: "h", logger: "l").messages.count == 1)
        let idle = filter.endInterval(at: 20 * second, hostname: "h", logger: "l").messages
        #expect(idle.count == 1)
        #expect(idle.first?.integer("count") == 0)
        #expect(idle.first?.integer("v_count") == 0)
        #expect(idle.first?.double("v_sum") == nil)
        #expect(idle.first?.integer("id_distinct") == 0)
        #expect(filter.endInterval(at: 30 * second, hostname: "h", logger: "l").messages.count == 1)
        #expect(filter.endInterval(at: 40 * second, hostname: "h", logger: "l").messages.isEmpty)
    }

    @Test func statsSubsetAndOrder() throws {
        let options = try FilterFixtures.options(fields: ["a", "b"], stats: ["max", "count"])
        let report = try #require(FilterFixtures.interval(options, [Message(fields: [.integer("a", 1), .integer("b", 2)])]).messages.first)
        #expect(report.fieldNames == ["count", "a_max", "a_count", "b_max", "b_count"])
    }

    @Test func percentileValuesAreOnlyKeptWhenAsked() throws {
        let options = try FilterFixtures.options(fields: ["v"], stats: ["sum"])
        var table = AggregationTable(options: options, now: 0)
        _ = table.add([Message(fields: [.integer("v", 1)])], loopDepth: 0)
        #expect(table.groups.first?.fields.first?.percentileValues == nil)
        var withPercentiles = AggregationTable(options: try FilterFixtures.options(fields: ["v"], stats: ["p50"]), now: 0)
        _ = withPercentiles.add([Message(fields: [.integer("v", 1)])], loopDepth: 0)
        #expect(withPercentiles.groups.first?.fields.first?.percentileValues != nil)
    }

    @Test func loopDepthIsTheDeepestPerGroup() throws {
        let options = try FilterFixtures.options(groupBy: ["Type"])
        let filter = AggregateFilter(options: options)
        filter.add([Message(type: "a"), Message(type: "b")], loopDepth: 0)
        filter.add([Message(type: "b")], loopDepth: 2)
        filter.add([Message(type: "a")], loopDepth: 1)
        #expect(filter.endInterval(at: 1, hostname: "h", logger: "l").loopDepths == [1, 2])
    }
}
