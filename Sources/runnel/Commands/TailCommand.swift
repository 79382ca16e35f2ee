import ArgumentParser
import RunnelCore
import RunnelKafka

#if canImport(Glibc)
import Glibc
#endif

struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print an app's routed logs from Kafka, like tail -f.",
        discussion: """
            Reads the per-app topics KafkaOutput writes (runnel.logs.<app id with / as .>) or any \
            topic, decodes each message (Heka protobuf or Runnel JSON; anything else is shown as its \
            payload) and prints it. It is a reader only: it joins no consumer group and commits no offsets.
            """)

    @Option(help: "Broker addresses, host:port[,host:port…].")
    var brokers: String = "127.0.0.1:9092"

    @Option(help: "Marathon app id, e.g. /web/api: reads its topic <topic-prefix><app id made legal>.")
    var app: String?

    @Option(help: "A topic to read (repeatable).")
    var topic: [String] = []

    @Option(help: "Prefix of the per-app topics (KafkaOutput's default topic template).")
    var topicPrefix: String = "runnel.logs."

    @Option(help: "Only messages this message_matcher expression selects; without --app/--topic every per-app topic is read.")
    var matcher: String = "TRUE"

    @Flag(name: [.customShort("f"), .customLong("follow")], help: "Keep printing new messages as they arrive.")
    var follow = false

    @Option(name: [.customShort("n"), .customLong("lines")], help: "Messages to print from before now (per partition read).")
    var lines: Int64 = 10

    @Option(help: "Output format: txt or json.")
    var format: OutputFormat = .txt

    @Option(help: "Seconds to wait for the broker's metadata.")
    var timeout: Int = 10

    func validate() throws {
        if format == .heka || format == .count { throw ValidationError("--format must be txt or json") }
        if lines < 0 { throw ValidationError("-n must not be negative") }
        if case .failure(let error) = Result(catching: { try MessageMatcher(matcher) }) {
            throw ValidationError("--matcher: \(error)")
        }
    }

    func run() throws {
        let matcher = try MessageMatcher(self.matcher)
        var topics = topic
        if let app { topics.append(topicPrefix + String(decoding: KafkaTopicName.sanitiseValue(Array(app.utf8)), as: UTF8.self)) }
        let reader: KafkaTailReader
        do {
            reader = try KafkaTailReader(brokers: brokers, topics: topics, prefix: topics.isEmpty ? topicPrefix : nil,
                                         last: lines, timeout: .seconds(timeout))
        } catch {
            Diagnostics.report("runnel tail: \(error)")
            throw ExitStatus.usage
        }
        let printer = TailPrinter(format: format, colour: isatty(1) == 1)
        // The backlog is gathered first and printed in time order across partitions.
        var backlog: [(time: Int64, order: Int, message: Message)] = []
        while !reader.backlogDone {
            for record in reader.poll(wait: .milliseconds(200)) {
                let message = TailPrinter.decode(record)
                if matcher.matches(message) { backlog.append((message.timestamp, backlog.count, message)) }
            }
        }
        backlog.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        for entry in backlog.suffix(Int(lines)) { printer.print(entry.message) }
        printer.flush()
        while follow {
            for record in reader.poll(wait: .milliseconds(500)) {
                let message = TailPrinter.decode(record)
                if matcher.matches(message) { printer.print(message) }
            }
            printer.flush()
        }
    }
}

/// Prints tailed messages: txt as `time container: payload`, coloured per container on a terminal.
final class TailPrinter {
    private let format: OutputFormat
    private let colour: Bool
    private let output = OutputBuffer(descriptor: 1)
    private var colours: [String: Int] = [:]
    private static let palette = [32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96]

    init(format: OutputFormat, colour: Bool) {
        self.format = format
        self.colour = colour
    }

    /// The message a record holds: Heka protobuf or Runnel JSON, else the raw value as Payload.
    static func decode(_ record: KafkaConsumedRecord) -> Message {
        if record.value.first == UInt8(ascii: "{"), let message = try? MessageJSON.decode(record.value) { return message }
        if let message = try? MessageProtobuf.decode(record.value), message.uuid != nil { return message }
        return KafkaInput.message(from: record, hostname: "")
    }

    func print(_ message: Message) {
        switch format {
        case .json:
            output.append { buffer in
                MessageJSON.encode(message, into: &buffer)
                buffer.append(0x0A)
            }
        default:
            let source = message.field(named: "ContainerName").flatMap(Self.text)
                ?? message.field(named: "MARATHON_APP_ID").flatMap(Self.text)
                ?? message.hostname?.string ?? "-"
            let time = GoTimeLayout.rfc3339Nano.format(nanoseconds: message.timestamp)
            var payload = message.payload?.string ?? ""
            while payload.hasSuffix("\n") { payload.removeLast() }
            if colour {
                let code = colours[source] ?? Self.palette[colours.count % Self.palette.count]
                colours[source] = code
                output.write("\(time) \u{1B}[\(code)m\(source)\u{1B}[0m \(payload)\n")
            } else {
                output.write("\(time) \(source) \(payload)\n")
            }
        }
    }

    func flush() { output.flush() }

    private static func text(_ field: Field) -> String? {
        if case .string(let values) = field.values { return values.first?.string }
        return nil
    }
}
