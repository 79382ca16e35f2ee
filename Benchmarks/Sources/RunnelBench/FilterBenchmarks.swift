import RunnelCore
import RunnelPlugins

/// AggregateFilter on DockerStats-shaped messages (issue 4's per-app AppStats): messages/s through
/// the work `process` does (`add` is the same call without the async runtime around it), with one
/// interval report per 100,000 messages included. No peer.
enum FilterBenchmarks {
    static let apps = 100
    static let containersPerApp = 10
    static let batchSize = 100

    /// One message per container, 17 fields like DockerStatsInput's.
    static let messages: [Message] = {
        var generator = MessageIDGenerator()
        var messages: [Message] = []
        for app in 0..<apps {
            for container in 0..<containersPerApp {
                let id = "c\(app)x\(container)abcdef".prefix(12)
                var message = Message(uuid: generator.uuid(), timestamp: 1_732_560_000_000_000_000, type: "DockerStats",
                                      logger: "DockerStatsInput", hostname: "node-3.dc1")
                message.addField(.string("ContainerID", ByteString(String(id))))
                message.addField(.string("ContainerName", ByteString("app\(app)-\(container)")))
                message.addField(.string("ContainerImage", "registry.local/app:1.0"))
                message.addField(.string("MARATHON_APP_ID", ByteString("/prod/app-\(app)")))
                message.addField(.string("MESOS_TASK_ID", ByteString("app-\(app).\(container)")))
                message.addField(.double("cpuPercent", Double((app * 7 + container * 13) % 100) + 0.25))
                message.addField(.integer("memUsage", Int64(100_000_000 + container * 1_000_000)))
                message.addField(.integer("memLimit", 536_870_912))
                message.addField(.integer("memRss", Int64(50_000_000 + app * 100_000)))
                message.addField(.integer("memCache", 10_000_000))
                message.addField(.integer("memWorkingSet", 90_000_000))
                message.addField(.double("rssPercent", Double((app + container) % 50) + 0.5))
                message.addField(.integer("blkioRead", 4096))
                message.addField(.integer("blkioWrite", 8192))
                message.addField(.integer("netRx", 123_456))
                message.addField(.integer("netTx", 654_321))
                message.addField(.integer("pids", 12))
                messages.append(message)
            }
        }
        return messages
    }()

    static let batches: [[Message]] = stride(from: 0, to: messages.count, by: batchSize).map {
        Array(messages[$0..<min($0 + batchSize, messages.count)])
    }

    static func filter(stats: [AggregateStat], distinct: Bool) -> AggregateFilter {
        var options = AggregateOptions()
        do {
            options.groupBy = [try MessageVariable(parsing: "Fields[MARATHON_APP_ID]")]
            options.fields = [try MessageVariable(parsing: "cpuPercent"), try MessageVariable(parsing: "rssPercent")]
            options.distinct = distinct ? [try MessageVariable(parsing: "ContainerID")] : []
        } catch {
            fatalError("benchmark variables must parse: \(error)")
        }
        options.stats = stats
        options.type = "AppStats"
        return AggregateFilter(options: options)
    }

    static func run(_ filter: AggregateFilter, messageCount: Int) -> Int {
        var added = 0, emitted = 0, batch = 0
        while added < messageCount {
            filter.add(batches[batch])
            added += batches[batch].count
            batch = batch + 1 == batches.count ? 0 : batch + 1
            if added % 100_000 < batchSize {
                emitted += filter.endInterval(at: 1, hostname: "h", logger: "app_stats").messages.count
            }
        }
        return emitted + filter.endInterval(at: 2, hostname: "h", logger: "app_stats").messages.count
    }

    static var all: [Benchmark] {
        [
            Benchmark("filter.aggregate_by_app") { iterations in
                run(filter(stats: AggregateStat.defaults, distinct: true), messageCount: iterations)
            },
            Benchmark("filter.aggregate_by_app_no_percentiles") { iterations in
                run(filter(stats: [.count, .sum, .avg, .min, .max], distinct: true), messageCount: iterations)
            },
        ]
    }
}
