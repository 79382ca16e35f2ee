import Logging
import RunnelCore
import Testing
@testable import RunnelPlugins

/// The filters through the real router: a filter's queue fed by `Router`, its reports injected
/// through `FilterContext.inject` into an output's queue, loops bounded by `max_message_loops`.
@Suite("Filters through Router, BatchQueue and FilterContext")
struct FilterRoutingTests {
    /// A filter or output wired to the router the way the agent wires it.
    struct Stage {
        let name: String
        let queue = BatchQueue(capacityBytes: 1 << 20)
        let counters: PluginCounters
        let route: Route

        init(_ name: String, matcher: String) throws {
            self.name = name
            counters = PluginCounters(name: name)
            route = Route(name: name, matcher: try MessageMatcher(matcher), queue: queue, counters: counters)
        }

        func context(_ router: Router, depth: Int = 0, maxLoops: Int = 4) -> FilterContext {
            FilterContext(name: name, hostname: "agent-host", counters: counters, logger: Logger(label: "test"),
                          maxMessageLoops: maxLoops, router: router, loopDepth: depth)
        }

        /// What the agent's FilterLoop does with each queued batch, without waiting.
        func processQueued(_ filter: any FilterPlugin, router: Router, maxLoops: Int = 4) async throws -> Int {
            var batches = 0
            while let batch = queue.tryPop() {
                try await filter.process(batch.messages, context: context(router, depth: batch.loopDepth, maxLoops: maxLoops))
                batch.confirm()
                batches += 1
            }
            return batches
        }

        func drain() -> [RoutedBatch] {
            var batches: [RoutedBatch] = []
            while let batch = queue.tryPop() { batches.append(batch) }
            return batches
        }
    }

    @Test func appStatsReachTheOutput() async throws {
        let filterStage = try Stage("app_stats", matcher: "Type == 'DockerStats'")
        let output = try Stage("out", matcher: "Type == 'AppStats'")
        let router = Router(routes: [filterStage.route, output.route])
        let options = try FilterFixtures.options(groupBy: ["Fields[MARATHON_APP_ID]"], fields: ["cpuPercent", "rssPercent"],
                                                 stats: ["sum", "avg", "max"], distinct: ["ContainerID"]) { $0.type = "AppStats" }
        let filter = AggregateFilter(options: options, matcher: filterStage.route.matcher)

        await router.route([
            FilterFixtures.stats(app: "/demo/web", container: "w1", cpu: 20, rss: 10),
            FilterFixtures.stats(app: "/demo/web", container: "w2", cpu: 40, rss: 30),
            FilterFixtures.stats(app: "/demo/worker", container: "k1", cpu: 70, rss: 5),
        ], acknowledgement: nil)
        #expect(output.drain().isEmpty)
        #expect(try await filterStage.processQueued(filter, router: router) == 1)
        try await filter.tick(context: filterStage.context(router))

        let batches = output.drain()
        let messages = batches.flatMap(\.messages)
        #expect(batches.map(\.loopDepth) == [1])
        #expect(messages.map { $0.text("MARATHON_APP_ID") } == ["/demo/web", "/demo/worker"])
        let web = try #require(messages.first)
        #expect(web.type == "AppStats")
        #expect(web.hostname == "agent-host")
        #expect(web.logger == "app_stats")
        #expect(web.integer("count") == 2)
        #expect(web.integer("ContainerID_distinct") == 2)
        #expect(web.double("cpuPercent_sum") == 60)
        #expect(web.double("cpuPercent_avg") == 30)
        #expect(web.double("cpuPercent_max") == 40)
        #expect(web.double("rssPercent_avg") == 20)
        #expect(web.double("rssPercent_max") == 30)
        #expect(filterStage.counters.snapshot.injected == 2)
        #expect(filterStage.drain().isEmpty)  // its own output does not come back to it
    }

    @Test func counterOutputReachesTheOutputButNotTheCounter() async throws {
        let counterStage = try Stage("CounterFilter", matcher: "Type != 'heka.counter-output'")
        let output = try Stage("out", matcher: "TRUE")
        let router = Router(routes: [counterStage.route, output.route])
        let counter = CounterFilter(matcher: counterStage.route.matcher, startedAt: .now - .seconds(5))
        await router.route((0..<25).map { _ in Message(type: "line") }, acknowledgement: nil)
        _ = output.drain()
        _ = try await counterStage.processQueued(counter, router: router)
        try await counter.tick(context: counterStage.context(router))
        let reports = output.drain().flatMap(\.messages)
        #expect(reports.count == 1)
        #expect(reports.first?.type == "heka.counter-output")
        #expect(reports.first?.payload?.string.hasPrefix("Got 25 messages. ") == true)
        #expect(reports.first?.integer("count") == 25)
        #expect(counterStage.drain().isEmpty)
    }

    /// Two aggregates feeding each other (X → Y → X …): each report is injected one level deeper
    /// than what it summarised, so the cycle stops when `max_message_loops` is reached.
    @Test func anInjectionCycleEndsAtMaxMessageLoops() async throws {
        let maxLoops = 4
        let first = try Stage("x_to_y", matcher: "Type == 'X'")
        let second = try Stage("y_to_x", matcher: "Type == 'Y'")
        let router = Router(routes: [first.route, second.route])
        let xToY = AggregateFilter(options: try FilterFixtures.options(groupBy: ["Type"]) { $0.type = "Y" }, matcher: first.route.matcher)
        let yToX = AggregateFilter(options: try FilterFixtures.options(groupBy: ["Type"]) { $0.type = "X" }, matcher: second.route.matcher)

        await router.route([Message(type: "X")], acknowledgement: nil)
        var rounds = 0
        while rounds < 20 {
            let processed = try await first.processQueued(xToY, router: router, maxLoops: maxLoops)
                + second.processQueued(yToX, router: router, maxLoops: maxLoops)
            if processed == 0 { break }
            try await xToY.tick(context: first.context(router, maxLoops: maxLoops))
            try await yToX.tick(context: second.context(router, maxLoops: maxLoops))
            rounds += 1
        }
        #expect(rounds == maxLoops + 1)
        let injected = first.counters.snapshot.injected + second.counters.snapshot.injected
        #expect(injected == maxLoops)
        let loopDrops = first.counters.snapshot.dropped["message_loop", default: 0]
            + second.counters.snapshot.dropped["message_loop", default: 0]
        #expect(loopDrops == 1)
    }

    @Test func aReportItsOwnMatcherSelectsIsRefused() async throws {
        let stage = try Stage("greedy", matcher: "TRUE")
        let router = Router(routes: [stage.route])
        let filter = AggregateFilter(options: try FilterFixtures.options(groupBy: ["Type"]), matcher: stage.route.matcher)
        await router.route([Message(type: "a"), Message(type: "b")], acknowledgement: nil)
        _ = try await stage.processQueued(filter, router: router)
        try await filter.tick(context: stage.context(router))
        #expect(stage.drain().isEmpty)
        #expect(stage.counters.snapshot.injected == 0)
        #expect(stage.counters.snapshot.dropped["self_injection"] == 2)
    }

    @Test func maxGroupsOverflowIsCountedAsDropped() async throws {
        let stage = try Stage("limited", matcher: "Type != 'AggregateStats'")
        let router = Router(routes: [stage.route])
        let options = try FilterFixtures.options(groupBy: ["Type"]) { $0.maxGroups = 1 }
        let filter = AggregateFilter(options: options, matcher: stage.route.matcher)
        await router.route([Message(type: "a"), Message(type: "b"), Message(type: "c"), Message(type: "a")], acknowledgement: nil)
        _ = try await stage.processQueued(filter, router: router)
        #expect(stage.counters.snapshot.dropped["max_groups"] == 2)
    }
}
