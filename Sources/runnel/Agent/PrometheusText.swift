import RunnelCore
import RunnelKafka

/// `/metrics` in Prometheus' text exposition format (version 0.0.4).
enum PrometheusText {
    static func render(_ status: AgentStatus) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            guard !samples.isEmpty else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name){\(sample.labels)} \(sample.value)\n" }
        }
        func labels(_ plugin: AgentStatus.PluginStatus, _ extra: String = "") -> String {
            "plugin=\"\(escape(plugin.name))\",type=\"\(escape(plugin.typeName))\",category=\"\(plugin.category.rawValue)\"" + extra
        }
        let plugins = status.plugins
        family("runnel_messages_received_total", "counter", "Messages (or records) a plugin received.",
               plugins.map { (labels($0), $0.counters.received) })
        family("runnel_messages_matched_total", "counter", "Messages a filter's or output's matcher selected.",
               plugins.filter { $0.category != .input }.map { (labels($0), $0.counters.matched) })
        family("runnel_messages_delivered_total", "counter", "Messages a filter processed or an output confirmed.",
               plugins.filter { $0.category != .input }.map { (labels($0), $0.counters.delivered) })
        family("runnel_messages_injected_total", "counter", "Messages a filter injected.",
               plugins.filter { $0.category == .filter }.map { (labels($0), $0.counters.injected) })
        family("runnel_messages_dropped_total", "counter", "Messages dropped, by plugin and reason.",
               plugins.flatMap { plugin in plugin.counters.dropped.sorted { $0.key < $1.key }
                   .map { (labels(plugin, ",reason=\"\(escape($0.key))\""), $0.value) } })
        family("runnel_plugin_restarts_total", "counter", "Restarts of a failed plugin.",
               plugins.map { (labels($0), $0.counters.restarts) })
        family("runnel_queue_bytes", "gauge", "Bytes of messages waiting in a filter's or output's queue.",
               plugins.compactMap { plugin in plugin.queueBytes.map { (labels(plugin), $0) } })
        family("runnel_queue_batches", "gauge", "Batches waiting in a filter's or output's queue.",
               plugins.compactMap { plugin in plugin.queueBatches.map { (labels(plugin), $0) } })
        family("runnel_disk_queue_bytes", "gauge", "Bytes of a buffered plugin's disk queue segment files.",
               plugins.compactMap { plugin in plugin.diskQueue.map { (labels(plugin), Int($0.bytesOnDisk)) } })
        family("runnel_disk_queue_unconfirmed_bytes", "gauge", "Bytes in a buffered plugin's disk queue not yet confirmed by it.",
               plugins.compactMap { plugin in plugin.diskQueue.map { (labels(plugin), Int($0.unconfirmedBytes)) } })
        family("runnel_input_read_total", "counter", "Messages an input read (read = delivered + unmatched + dropped + in flight).",
               plugins.compactMap { plugin in plugin.ledger.map { (labels(plugin), $0.read) } })
        family("runnel_input_delivered_total", "counter", "Messages of an input confirmed by every output that took them.",
               plugins.compactMap { plugin in plugin.ledger.map { (labels(plugin), $0.delivered) } })
        family("runnel_input_unmatched_total", "counter", "Messages of an input that no filter or output wanted.",
               plugins.compactMap { plugin in plugin.ledger.map { (labels(plugin), $0.unmatched) } })
        family("runnel_input_in_flight", "gauge", "Messages of an input read but not yet settled.",
               plugins.compactMap { plugin in plugin.ledger.map { (labels(plugin), $0.inFlight) } })
        for line in KafkaStatisticsBoard.shared.prometheusLines() { out += line + "\n" }
        out += "# HELP runnel_uptime_seconds Seconds since the agent started.\n# TYPE runnel_uptime_seconds gauge\n"
        out += "runnel_uptime_seconds \((status.now - status.startedAt) / 1_000_000_000)\n"
        return out
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
