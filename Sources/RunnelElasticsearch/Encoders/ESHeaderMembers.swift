import RunnelCore
import Synchronization

/// Writes header variables as document members the way both Heka encoders do: text members as
/// strings (empty when unset), `Severity` (7 when unset) and `Pid` (0 when unset) as integers,
/// `Timestamp` in the configured strftime format (UTC).
struct ESHeaderMembers: Sendable {
    let timestampFormat: InterpolatedTemplate
    /// strftime has no code finer than a second, so consecutive messages mostly share the text.
    private let lastTimestamp = TimestampTextCache()

    init(timestampFormat: String) throws(InterpolatedTemplate.SyntaxError) {
        self.timestampFormat = try InterpolatedTemplate(timestampFormat.contains("%") ? "%{\(timestampFormat)}" : timestampFormat)
    }

    init(timestampTemplate: InterpolatedTemplate) {
        timestampFormat = timestampTemplate
    }

    func write(_ part: ESMessagePart, key: JSONKey, of message: Message, into writer: inout JSONWriter) {
        writer.key(key)
        switch part {
        case .uuid:
            if let uuid = message.uuid {
                _ = uuid.withCanonicalText { writer.string($0) }  // whether the text was UTF-8: a uuid always is
            } else {
                writer.string(ByteString.empty)
            }
        case .timestamp:
            let second = message.timestamp >= 0 ? message.timestamp / 1_000_000_000 : (message.timestamp + 1) / 1_000_000_000 - 1
            let text = lastTimestamp.text(forSecond: second) {
                var text: [UInt8] = []
                timestampFormat.render(message, into: &text)
                return text
            }
            writer.string(ByteString(text))
        case .type: writer.string(message.type ?? .empty)
        case .logger: writer.string(message.logger ?? .empty)
        case .severity: writer.integer(Int64(message.effectiveSeverity))
        case .payload: writer.string(message.payload ?? .empty)
        case .envVersion: writer.string(message.envVersion ?? .empty)
        case .pid: writer.integer(Int64(message.pid ?? 0))
        case .hostname: writer.string(message.hostname ?? .empty)
        case .dynamicFields: writer.null()  // never asked: dynamic fields have their own writer
        }
    }
}

/// The timestamp text of the last second rendered.
final class TimestampTextCache: Sendable {
    private let last = Mutex<(second: Int64, text: [UInt8])?>(nil)

    func text(forSecond second: Int64, render: () -> [UInt8]) -> [UInt8] {
        if let cached = last.withLock({ $0 }), cached.second == second { return cached.text }
        let text = render()
        last.withLock { $0 = (second, text) }
        return text
    }
}
