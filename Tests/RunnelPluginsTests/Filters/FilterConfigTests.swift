import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite("CounterFilter and AggregateFilter in plugins.toml")
struct FilterConfigTests {
    static let registry = PluginRegistry(StandardPlugins.all)

    static func load(_ text: String) -> ConfigLoadResult {
        let loader = ConfigLoader(catalog: registry.catalog, environment: [:]) { expression in
            do throws(MatcherSyntaxError) {
                _ = try MessageMatcher(expression)
                return nil
            } catch {
                return (error.column, error.message)
            }
        }
        return loader.load(text: text, fileName: "plugins.toml")
    }

    /// Loads and builds; the build errors' messages (empty when it built).
    static func build(_ text: String) throws -> (plan: PipelinePlan?, errors: [String]) {
        let loaded = load(text)
        let config = try #require(loaded.config, "\(loaded.diagnostics)")
        let (plan, errors) = PipelineBuilder.build(config, registry: registry, hostname: "test-host")
        return (plan, errors.map(\.message))
    }

    @Test func theIssueFourSectionsBuild() throws {
        let (plan, errors) = try Self.build("""
            \(FilterFixtures.appStatsSection(tickerInterval: "10s"))

            [CounterFilter]

            [out]
            type = "LogOutput"
            message_matcher = "Type == 'AppStats' || Type == 'heka.counter-output'"
            """)
        #expect(errors.isEmpty)
        let filters = try #require(plan?.filters)
        #expect(filters.map(\.config.name) == ["app_stats", "CounterFilter"])
        #expect(filters.map(\.tickerInterval) == [.seconds(10), .seconds(5)])
        let aggregate = try #require(filters.first?.plugin as? AggregateFilter)
        #expect(aggregate.options.type == "AppStats")
        #expect(aggregate.options.groupBy == [.field(name: "MARATHON_APP_ID", fieldIndex: 0, arrayIndex: 0)])
        #expect(aggregate.options.stats == [.sum, .avg, .max])
        #expect(aggregate.options.maxGroups == 10_000)
        #expect(filters.last?.plugin is CounterFilter)
        #expect(filters.last?.matcher.expression == "Type != 'heka.counter-output'")
    }

    @Test func defaultsOfASectionNamedAfterItsType() throws {
        let (plan, errors) = try Self.build("""
            [AggregateFilter]
            message_matcher = "TRUE"
            """)
        #expect(errors.isEmpty)
        let aggregate = try #require(plan?.filters.first?.plugin as? AggregateFilter)
        #expect(aggregate.options.type == "AggregateStats")
        #expect(aggregate.options.stats == AggregateStat.defaults)
        #expect(plan?.filters.first?.tickerInterval == .seconds(10))
    }

    @Test func hekaCounterFilterSection() throws {
        // From Heka's docker example configuration.
        let (plan, errors) = try Self.build("""
            [CounterFilter]
            ticker_interval = 1
            message_matcher = 'Type != "heka.counter-output"'
            """)
        #expect(errors.isEmpty)
        #expect(plan?.filters.first?.tickerInterval == .seconds(1))
    }

    @Test(arguments: [
        ("message_type = \"\"", "message_type", "must not be empty"),
        ("stats = [\"mean\"]", "stats", "unknown statistic 'mean'"),
        ("stats = [\"p100\"]", "stats", "unknown statistic 'p100'"),
        ("stats = [\"sum\", \"sum\"]", "stats", "listed twice"),
        ("group_by = [\"Fields[x\"]", "group_by", "Fields[name]"),
        ("fields = [\"Hostname\"]", "fields", "not a number"),
        ("distinct = [\"Fields[a][b]\"]", "distinct", "index"),
        ("max_groups = 0", "max_groups", "at least 1"),
        ("max_samples = -3", "max_samples", "at least 1"),
        ("ticker_interval = 0", "ticker_interval", "positive"),
        ("group_by = [\"count\"]", nil, "'count' would appear twice"),
        ("fields = [\"v\"]\ngroup_by = [\"v_sum\"]", nil, "'v_sum' would appear twice"),
    ] as [(String, String?, String)])
    func badOptionsAreBuildErrors(line: String, key: String?, fragment: String) throws {
        let (plan, errors) = try Self.build("""
            [agg]
            type = "AggregateFilter"
            message_matcher = "TRUE"
            \(line)
            """)
        #expect(plan == nil)
        let error = try #require(errors.first)
        #expect(error.contains(fragment), "\(error)")
        if let key { #expect(error.contains("option '\(key)'"), "\(error)") }
    }

    @Test func aggregateNeedsAMatcher() {
        let loaded = Self.load("""
            [agg]
            type = "AggregateFilter"
            group_by = ["Type"]
            """)
        #expect(loaded.config == nil)
        #expect(loaded.diagnostics.contains { $0.key == "message_matcher" })
    }

    @Test func wrongOptionTypesAreLoadErrors() {
        let loaded = Self.load("""
            [agg]
            type = "AggregateFilter"
            message_matcher = "TRUE"
            fields = "cpuPercent"
            emit_empty = "yes"
            """)
        #expect(loaded.config == nil)
        #expect(Set(loaded.diagnostics.compactMap(\.key)) == ["fields", "emit_empty"])
    }
}
