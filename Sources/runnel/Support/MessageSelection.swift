import RunnelCore

/// The loop shared by `match` and `cat`: read messages, keep those the matcher selects, print them.
struct MessageSelection {
    var matcher: MessageMatcher
    var printer: MessagePrinter
    var maxCount: Int?

    struct Outcome {
        var read = 0
        var selected = 0
        var problems = 0
    }

    func run(_ stream: MessageStream) -> Outcome {
        var outcome = Outcome()
        stream.forEach { item in
            switch item {
            case .message(let message, let protobuf, _):
                outcome.read += 1
                if matcher.matches(message) {
                    outcome.selected += 1
                    printer.print(message, protobuf: protobuf)
                    if stream.follow { printer.flush() }
                    if let maxCount, outcome.selected >= maxCount { return false }
                }
            case .problem(let description):
                outcome.problems += 1
                printer.flush()
                Diagnostics.report("runnel: \(description)")
            }
            return true
        }
        printer.finish()
        return outcome
    }
}
