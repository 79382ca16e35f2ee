import ArgumentParser
import RunnelCore

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Print the messages that a message_matcher expression selects.",
        discussion: """
            Reads a Heka framed stream (detected by its leading 0x1E byte) or JSON lines in Runnel's \
            message JSON shape from FILE or standard input. Use it to test a matcher before deploying it.
            Exit status: 0 when any message matched, 1 when none did, 2 for a bad expression or unreadable input.
            """)

    @Argument(help: "A message_matcher expression, e.g. \"Type == 'DockerLog' && Fields[MARATHON_APP_ID] =~ /^\\/web/\".")
    var expression: String

    @Argument(help: "Input file; standard input when omitted or '-'.")
    var file: String?

    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .txt

    @Option(help: "Largest message or JSON line accepted, in bytes.")
    var maxMessageSize: Int = HekaStreamReader.defaultMaxMessageSize

    func run() throws {
        let matcher: MessageMatcher
        do {
            matcher = try MessageMatcher(expression)
        } catch {
            Diagnostics.report("runnel match: \(error)")
            throw ExitStatus.usage
        }
        let source: ByteSource
        do {
            source = try ByteSource(path: file)
        } catch {
            Diagnostics.report("runnel match: \(error)")
            throw ExitStatus.usage
        }
        let selection = MessageSelection(matcher: matcher, printer: MessagePrinter(format: format))
        let outcome = selection.run(MessageStream(source: source, maxMessageSize: maxMessageSize, follow: false))
        if outcome.read == 0 && outcome.problems > 0 { throw ExitStatus.usage }
        if outcome.selected == 0 { throw ExitStatus.noMatch }
    }
}
