import RunnelCore

/// `/status`: the agent's counters, queues, ledgers and checkpoints as JSON.
enum StatusJSON {
    static func render(_ status: AgentStatus) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 4096)
        writer.beginObject()
        writer.key("version"); writer.string(status.version)
        writer.key("hostname"); writer.string(status.hostname)
        writer.key("uptime_seconds"); writer.integer((status.now - status.startedAt) / 1_000_000_000)
        writer.key("plugins")
        writer.beginArray()
        for plugin in status.plugins {
            writer.beginObject()
            writer.key("name"); writer.string(plugin.name)
            writer.key("type"); writer.string(plugin.typeName)
            writer.key("category"); writer.string(plugin.category.rawValue)
            writer.key("received"); writer.integer(plugin.counters.received)
            if plugin.category != .input {
                writer.key("matched"); writer.integer(plugin.counters.matched)
                writer.key("delivered"); writer.integer(plugin.counters.delivered)
            }
            if plugin.category == .filter { writer.key("injected"); writer.integer(plugin.counters.injected) }
            writer.key("dropped")
            writer.beginObject()
            for (reason, count) in plugin.counters.dropped.sorted(by: { $0.key < $1.key }) {
                writer.key(reason); writer.integer(count)
            }
            writer.endObject()
            writer.key("restarts"); writer.integer(plugin.counters.restarts)
            if let bytes = plugin.queueBytes { writer.key("queue_bytes"); writer.integer(bytes) }
            if let batches = plugin.queueBatches { writer.key("queue_batches"); writer.integer(batches) }
            if let disk = plugin.diskQueue {
                writer.key("disk_queue")
                writer.beginObject()
                writer.key("bytes"); writer.integer(Int(disk.bytesOnDisk))
                writer.key("unconfirmed_bytes"); writer.integer(Int(disk.unconfirmedBytes))
                writer.key("segments"); writer.integer(disk.segments)
                writer.key("cursor"); writer.string(disk.savedCursor.description)
                writer.endObject()
            }
            if let ledger = plugin.ledger {
                writer.key("ledger")
                writer.beginObject()
                writer.key("read"); writer.integer(ledger.read)
                writer.key("delivered"); writer.integer(ledger.delivered)
                writer.key("unmatched"); writer.integer(ledger.unmatched)
                writer.key("dropped"); writer.integer(ledger.dropped.values.reduce(0, +))
                writer.key("in_flight"); writer.integer(ledger.inFlight)
                writer.endObject()
            }
            if let checkpoints = plugin.checkpoints {
                writer.key("checkpoints")
                writer.beginObject()
                for (stream, position) in checkpoints.sorted(by: { $0.key < $1.key }) {
                    writer.key(stream)
                    writer.beginArray()
                    for number in position { writer.integer(number) }
                    writer.endArray()
                }
                writer.endObject()
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
