import ArgumentParser
import RunnelCore

struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print the messages of a Heka framed file (Heka's heka-cat).",
        discussion: """
            Corrupt regions are reported on standard error with their byte offset and reading continues. \
            JSON lines in Runnel's message JSON shape are read too.
            """)

    @Argument(help: "A Heka framed file (or JSON lines); '-' reads standard input.")
    var file: String

    @Option(name: [.customLong("match")], help: "Print only the messages this message_matcher expression selects.")
    var match: String = "TRUE"

    @Option(help: "Output format: txt, json, heka or count.")
    var format: OutputFormat = .txt

    @Flag(help: "Keep reading as the file grows (like tail -f); a truncated file is read again from its start.")
    var tail = false

    @Option(help: "Start reading at this byte offset.")
    var offset: Int64 = 0

    @Option(name: [.customLong("maxnum"), .customLong("max-count")], help: "Stop after this many printed messages.")
    var maxCount: Int?

    @Option(help: "Largest message accepted, in bytes.")
    var maxMessageSize: Int = HekaStreamReader.defaultMaxMessageSize

    func validate() throws {
        if offset < 0 { throw ValidationError("--offset must not be negative") }
        if let maxCount, maxCount < 1 { throw ValidationError("--maxnum must be at least 1") }
    }

    func run() throws {
        let matcher: MessageMatcher
        do {
            matcher = try MessageMatcher(match)
        } catch {
            Diagnostics.report("runnel cat: --match: \(error)")
            throw ExitStatus.usage
        }
        let source: ByteSource
        do {
            source = try ByteSource(path: file, startOffset: offset)
        } catch {
            Diagnostics.report("runnel cat: \(error)")
            throw ExitStatus.usage
        }
        let selection = MessageSelection(matcher: matcher, printer: MessagePrinter(format: format), maxCount: maxCount)
        let outcome = selection.run(MessageStream(source: source, maxMessageSize: maxMessageSize, follow: tail))
        if outcome.problems > 0 {
            Diagnostics.report("runnel cat: \(outcome.read) messages read, \(outcome.problems) problems reported")
        }
    }
}
