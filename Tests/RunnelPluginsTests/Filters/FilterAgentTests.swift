import Foundation
import Logging
import RunnelCore
import Synchronization
import Testing
@testable import RunnelPlugins

/// The filters inside a real `Agent`: built from plugins.toml text, fed by an input, their reports
/// delivered to an output, the last interval reported when the agent shuts down.
@Suite("Filters in a running agent")
struct FilterAgentTests {
    /// Delivers fixed batches, then finishes (which stops the agent).
    struct FixedInput: InputPlugin {
        let batches: [[Message]]
        func run(_ context: InputContext) async throws {
            for batch in batches { await context.deliver(batch) }
        }
    }

    final class Collected: Sendable {
        private let messages = Mutex<[Message]>([])
        func append(_ new: [Message]) { messages.withLock { $0 += new } }
        var all: [Message] { messages.withLock { $0 } }
    }

    struct CollectingOutput: OutputPlugin {
        let collected: Collected
        func run(_ context: OutputContext) async throws {
            while let batch = await context.next() {
                collected.append(batch.messages)
                batch.confirm()
            }
        }
    }

    static func registry(input: FixedInput, collected: Collected) -> PluginRegistry {
        let inputRegistration = PluginRegistration(
            schema: PluginSchema(typeName: "FixedInput", category: .input, summary: "test", options: [])
        ) { _, _ throws(PluginBuildError) in .input(input) }
        let outputRegistration = PluginRegistration(
            schema: PluginSchema(typeName: "CollectingOutput", category: .output, summary: "test", options: [])
        ) { _, _ throws(PluginBuildError) in .output(CollectingOutput(collected: collected)) }
        return PluginRegistry(StandardPlugins.all + [inputRegistration, outputRegistration])
    }

    @Test func appStatsAndCounterReportsReachTheOutputAtShutdown() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-filters-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stats = [
            FilterFixtures.stats(app: "/demo/web", container: "w1", cpu: 10, rss: 20),
            FilterFixtures.stats(app: "/demo/web", container: "w2", cpu: 30, rss: 40),
            FilterFixtures.stats(app: "/demo/worker", container: "k1", cpu: 5, rss: 1),
        ]
        let collected = Collected()
        let registry = Self.registry(input: FixedInput(batches: [Array(stats[..<2]), [stats[2]]]), collected: collected)
        let text = """
            [runnel]
            base_dir = "\(folder)"

            [stats]
            type = "FixedInput"

            \(FilterFixtures.appStatsSection(tickerInterval: "1h"))

            [CounterFilter]
            message_matcher = "Type == 'DockerStats'"
            ticker_interval = "1h"

            [sink]
            type = "CollectingOutput"
            message_matcher = "Type == 'AppStats' || Type == 'heka.counter-output'"
            """
        let loaded = ConfigLoader(catalog: registry.catalog, environment: [:]).load(text: text, fileName: "plugins.toml")
        let config = try #require(loaded.config, "\(loaded.diagnostics)")
        let built = PipelineBuilder.build(config, registry: registry, hostname: "node-9")
        let plan = try #require(built.plan, "\(built.errors)")
        let agent = try Agent(plan: plan, global: config.global, hostname: "node-9", logger: Logger(label: "test"))

        #expect(await agent.run() == .completed)

        let reports = collected.all
        let apps = reports.filter { $0.type == "AppStats" }
        #expect(apps.map { $0.text("MARATHON_APP_ID") } == ["/demo/web", "/demo/worker"])
        #expect(apps.first?.integer("ContainerID_distinct") == 2)
        #expect(apps.first?.double("cpuPercent_sum") == 40)
        #expect(apps.first?.double("rssPercent_avg") == 30)
        #expect(apps.allSatisfy { $0.hostname == "node-9" && $0.logger == "app_stats" })
        let counts = reports.filter { $0.type == "heka.counter-output" }
        #expect(counts.count == 1)
        #expect(counts.first?.integer("total") == 3)
    }
}
