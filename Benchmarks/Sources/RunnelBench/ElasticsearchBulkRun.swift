import Foundation
import Logging
import RunnelCore
import RunnelElasticsearch
import Synchronization

/// End-to-end: COUNT Docker log messages (built before the clock starts) through ESJsonEncoder
/// and ElasticSearchOutput to a bulk server at URL, timed until every message is confirmed.
/// Prints one JSON line: documents/s and MiB/s of bulk body.
enum ElasticsearchBulkRun {
    static func main(_ arguments: [String]) async {
        guard arguments.count >= 2, let count = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: RunnelBench --es-bulk URL COUNT [MAX_IN_FLIGHT]\n".utf8))
            exit(64)
        }
        let url = arguments[0]
        let maxInFlight = arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4
        let template = JSONBenchmarks.dockerLogMessage
        var batches: [[Message]] = []
        var batch: [Message] = []
        for number in 0..<count {
            var message = ownCopy(of: template)
            message.timestamp += Int64(number)
            message.payload = ByteString("\(number) " + (template.payload?.string ?? ""))
            batch.append(message)
            if batch.count == 1000 {
                batches.append(batch)
                batch = []
            }
        }
        if !batch.isEmpty { batches.append(batch) }

        let queue = BatchQueue(capacityBytes: 64 << 20)
        let context = OutputContext(name: "es", counters: PluginCounters(name: "es"), logger: Logger(label: "es-bench"),
                                    encoder: ElasticsearchBenchmarks.encoder(), useFraming: false, queue: queue)
        var options = ElasticsearchOutput.Options(deadLetterPath: NSTemporaryDirectory() + "/runnel-es-bench-dead-letter.ndjson")
        options.servers = [url]
        options.flushCount = 5000
        options.flushInterval = .milliseconds(50)
        options.maxConcurrency = maxInFlight
        options.initialConcurrency = maxInFlight
        let output = ElasticsearchOutput(options: options)
        let settled = Atomic<Int>(0)
        let cpuBefore = clock()
        let started = ContinuousClock.now
        let task = Task { try await output.run(context) }
        for messages in batches {
            let acknowledgement = BatchAcknowledgement(messageCount: messages.count) { outcome in
                settled.add(outcome.delivered + outcome.droppedTotal, ordering: .relaxed)
            }
            _ = await queue.push(RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: acknowledgement,
                                             byteSize: messages.count * 600))
        }
        while settled.load(ordering: .relaxed) < count {
            try? await Task.sleep(for: .milliseconds(2))
        }
        let wall = ContinuousClock.now - started
        queue.close()
        _ = try? await task.value
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let cpu = Double(clock() - cpuBefore) / Double(CLOCKS_PER_SEC)
        let stats = output.stats.snapshot
        let line: [String: Any] = [
            "name": "runnel.es_bulk", "docs": count, "wall_s": (seconds * 1000).rounded() / 1000,
            "docs_per_s": Int(Double(count) / seconds), "requests": stats.requests, "cpu_s": (cpu * 100).rounded() / 100,
            "stored": stats.stored, "duplicates": stats.duplicates, "dead_lettered": stats.deadLettered,
            "encode_s": Double(stats.encodeTime.components.seconds) + Double(stats.encodeTime.components.attoseconds) / 1e18,
            "response_s": Double(stats.responseTime.components.seconds) + Double(stats.responseTime.components.attoseconds) / 1e18,
        ]
        if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// The message with storage of its own, as a decoded message has: copies of one template would
    /// share every array, and the encoding threads would contend for reference counts that real
    /// messages never share.
    static func ownCopy(of message: Message) -> Message {
        // `Array(array)` would share the buffer; copying through a pointer gives a new one.
        func fresh(_ bytes: ByteString) -> ByteString { ByteString(bytes.bytes.withUnsafeBufferPointer { Array($0) }) }
        func own(_ text: ByteString?) -> ByteString? { text.map(fresh) }
        var copy = message
        copy.type = own(message.type)
        copy.logger = own(message.logger)
        copy.hostname = own(message.hostname)
        copy.envVersion = own(message.envVersion)
        copy.fields = message.fields.map { field in
            let values: FieldValues
            switch field.values {
            case .string(let strings): values = .string(strings.map(fresh))
            case .bytes(let blobs): values = .bytes(blobs.map(fresh))
            case .integer(let integers): values = .integer(integers.withUnsafeBufferPointer { Array($0) })
            case .double(let doubles): values = .double(doubles.withUnsafeBufferPointer { Array($0) })
            case .bool(let bools): values = .bool(bools.withUnsafeBufferPointer { Array($0) })
            }
            return Field(name: fresh(field.name), representation: own(field.representation), values: values)
        }
        return copy
    }
}
