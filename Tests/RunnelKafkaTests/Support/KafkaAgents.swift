import Foundation
import RunnelTestSupport

/// Agent configurations and helpers for the broker tests: a producer agent (a file of JSON lines
/// → JsonDecoder → KafkaOutput, per-app topics) and a consumer agent (KafkaInput → FileOutput).
enum KafkaAgents {
    static func producerConfig(state: String, logs: String, brokers: String, extra: String = "") -> String {
        """
        [runnel]
        base_dir = "\(state)"
        admin_address = "127.0.0.1:0"
        max_message_size = "1MiB"
        checkpoint_interval = "200ms"

        [lines]
        type = "LogstreamerInput"
        log_directory = "\(logs)"
        file_match = '.*\\.log'
        decoder = "json"

        [json]
        type = "JsonDecoder"

        [JsonEncoder]

        [kout]
        type = "KafkaOutput"
        message_matcher = "TRUE"
        addrs = ["\(brokers)"]
        topic = "runnel.logs.%{Fields[app]}"
        key = "%{Fields[app]}"
        encoder = "JsonEncoder"
        max_message_bytes = 100000
        \(extra)
        """
    }

    static func consumerConfig(state: String, output: String, brokers: String, group: String = "archive") -> String {
        """
        [runnel]
        base_dir = "\(state)"
        admin_address = "127.0.0.1:0"

        [kin]
        type = "KafkaInput"
        addrs = ["\(brokers)"]
        topic_pattern = '^runnel\\.logs\\.'
        group = "\(group)"
        decoder = "whole"

        [kin.librdkafka]
        "topic.metadata.refresh.interval.ms" = 1000
        "session.timeout.ms" = 6000
        "heartbeat.interval.ms" = 1000

        [whole]
        type = "JsonDecoder"
        message_json = true

        [JsonEncoder]

        [out]
        type = "FileOutput"
        message_matcher = "TRUE"
        path = "\(output)"
        encoder = "JsonEncoder"
        flush_count = 500
        flush_interval = 100
        flush_operator = "OR"
        """
    }

    /// JSON lines for `apps`, interleaved: `{"app":"/web/api","seq":N}`.
    static func lines(apps: [String], perApp range: Range<Int>) -> String {
        var text = ""
        for seq in range {
            for app in apps { text += "{\"app\":\"\(app)\",\"seq\":\(seq)}\n" }
        }
        return text
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// (app, seq) of every line of the consumer's output file, in file order.
    static func outputRecords(_ path: String) -> [(app: String, seq: Int)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: 0x0A).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let fields = object["Fields"] as? [String: Any] else { return nil }
            let app = fields["app"] as? String
            let seq = (fields["seq"] as? NSNumber)?.intValue
            guard let app, let seq else { return nil }
            return (app, seq)
        }
    }

    static func counter(_ agent: AgentProcess, plugin: String, _ key: String) async -> Int {
        (await agent.pluginStatus(plugin)?[key] as? NSNumber)?.intValue ?? -1
    }

    /// Waits until `condition` holds or the time is up; the last value of it.
    static func wait(_ timeout: Duration, until condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }
}
