import ArgumentParser
import RunnelCore

/// How `match` and `cat` print the messages they select.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Human-readable header and fields (MessageTextFormat).
    case txt
    /// One message per line in Runnel's JSON shape.
    case json
    /// Heka stream framing (protobuf), readable by `runnel cat` and Heka's tools.
    case heka
    /// Only the number of selected messages.
    case count
}

/// Writes selected messages in one format, counting them.
final class MessagePrinter {
    let format: OutputFormat
    private let output = OutputBuffer(descriptor: 1)
    private(set) var printed = 0

    init(format: OutputFormat) {
        self.format = format
    }

    func print(_ message: Message, protobuf: [UInt8]?) {
        printed += 1
        switch format {
        case .txt:
            output.write(MessageTextFormat.render(message))
            output.write("\n")
        case .json:
            output.append { buffer in
                MessageJSON.encode(message, into: &buffer)
                buffer.append(0x0A)
            }
        case .heka:
            output.append { buffer in
                if let protobuf {
                    HekaFraming.appendFrame(messageBytes: protobuf, signer: nil, to: &buffer)
                } else {
                    HekaFraming.appendFrame(messageBytes: MessageProtobuf.encode(message), signer: nil, to: &buffer)
                }
            }
        case .count:
            break
        }
    }

    /// Flushes output; the count format prints its total here.
    func finish() {
        if format == .count { output.write("\(printed)\n") }
        output.flush()
    }

    /// While following a growing file, output is flushed after each batch so it appears promptly.
    func flush() { output.flush() }
}
