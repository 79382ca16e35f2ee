import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

/// One record read by `runnel match` and `runnel cat`.
enum StreamItem {
    /// A decoded message, with its protobuf bytes when it came from a Heka stream (so `--format
    /// heka` can pass it through unchanged) and its byte offset in the input.
    case message(Message, protobuf: [UInt8]?, offset: Int64)
    /// Something unreadable in the input; reading continues after it.
    case problem(String)
}

/// Turns a byte source into messages: JSON lines in Runnel's message JSON shape
/// (docs/json-format.md) when the input starts with '{', otherwise a Heka framed stream.
struct MessageStream {
    enum Format: Equatable { case heka, jsonLines }

    let source: ByteSource
    var maxMessageSize: Int
    var follow: Bool
    var pollInterval: useconds_t = 200_000

    init(source: ByteSource, maxMessageSize: Int, follow: Bool) {
        self.source = source
        self.maxMessageSize = maxMessageSize
        self.follow = follow
    }

    /// Calls `body` for every item until the input ends (or forever with `follow`), or until
    /// `body` returns false.
    func forEach(_ body: (StreamItem) -> Bool) {
        var decoder: StreamDecoder?
        while true {
            let chunk = source.read()
            if chunk.isEmpty {
                if let decoder, !decoder.drain(body) { return }
                guard follow else {
                    if let decoder { decoder.finish(body) }
                    return
                }
                if source.wasTruncated() {
                    guard body(.problem("\(source.name): truncated at offset \(source.offset); reading from the start")) else { return }
                    source.rewind()
                    decoder = nil
                }
                usleep(pollInterval)
                continue
            }
            if decoder == nil {
                // JSON lines start with '{' (after blanks); anything else is read as a Heka stream,
                // which also resynchronises when reading starts inside a frame (`cat --offset`).
                let firstVisible = chunk.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
                let format: Format = firstVisible == UInt8(ascii: "{") ? .jsonLines : .heka
                decoder = StreamDecoder(format: format, name: source.name,
                                        startOffset: source.offset - Int64(chunk.count),
                                        maxMessageSize: maxMessageSize)
            }
            decoder!.append(chunk)
            if !decoder!.drain(body) { return }
        }
    }
}

/// The per-format decoding state behind `MessageStream`.
private final class StreamDecoder {
    private let format: MessageStream.Format
    private let name: String
    private let maxMessageSize: Int
    private var heka: HekaStreamReader
    private var lines: LineSplitter

    init(format: MessageStream.Format, name: String, startOffset: Int64, maxMessageSize: Int) {
        self.format = format
        self.name = name
        self.maxMessageSize = maxMessageSize
        heka = HekaStreamReader(maxMessageSize: maxMessageSize, startOffset: startOffset)
        lines = LineSplitter(startOffset: startOffset, maxLineLength: maxMessageSize)
    }

    func append(_ chunk: ArraySlice<UInt8>) {
        switch format {
        case .heka: heka.append(chunk)
        case .jsonLines: lines.append(chunk)
        }
    }

    /// Emits every complete record buffered so far; false when `body` asked to stop.
    func drain(_ body: (StreamItem) -> Bool) -> Bool {
        switch format {
        case .heka:
            while let item = heka.next() {
                switch item {
                case .frame(let frame):
                    do {
                        let message = try MessageProtobuf.decode(frame.messageBytes)
                        guard body(.message(message, protobuf: frame.messageBytes, offset: frame.offset)) else { return false }
                    } catch {
                        let offset = frame.offset + Int64(frame.frameLength - frame.messageBytes.count) + Int64(error.offset)
                        guard body(.problem("\(name): undecodable message in frame at offset \(frame.offset): \(error.reason) (byte offset \(offset))")) else { return false }
                    }
                case .corruption(let corruption):
                    guard body(.problem("\(name): \(corruption)")) else { return false }
                }
            }
        case .jsonLines:
            while let line = lines.next() {
                switch line {
                case .line(let bytes, let number, let offset):
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    do {
                        let message = try MessageJSON.decode(bytes)
                        guard body(.message(message, protobuf: nil, offset: offset)) else { return false }
                    } catch {
                        guard body(.problem("\(name):\(number): invalid message JSON at byte offset \(offset + Int64(error.offset)): \(error.reason)")) else { return false }
                    }
                case .tooLong(let number, let offset, let length):
                    guard body(.problem("\(name):\(number): line at byte offset \(offset) is longer than max_message_size (\(length) > \(maxMessageSize) bytes); skipped")) else { return false }
                }
            }
        }
        return true
    }

    /// At end of input: reports what was left incomplete.
    func finish(_ body: (StreamItem) -> Bool) {
        switch format {
        case .heka:
            if let corruption = heka.finish() { _ = body(.problem("\(name): \(corruption)")) }
        case .jsonLines:
            if let last = lines.finish(), case .line(let bytes, let number, let offset) = last {
                // A final line without a newline is still a complete JSON document or an error.
                do {
                    let message = try MessageJSON.decode(bytes)
                    _ = body(.message(message, protobuf: nil, offset: offset))
                } catch {
                    _ = body(.problem("\(name):\(number): invalid message JSON at byte offset \(offset + Int64(error.offset)): \(error.reason)"))
                }
            }
        }
    }
}
