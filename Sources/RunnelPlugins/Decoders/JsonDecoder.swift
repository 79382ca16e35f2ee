import RunnelCore

/// Decodes a payload holding one JSON object into typed fields (Runnel's own; Heka had a Lua
/// sandbox decoder for this).
///
/// Strings, integers, doubles and booleans become fields of that type; nested objects are
/// flattened into names joined with `flattenSeparator` (`{"http":{"status":200}}` gives
/// `http.status`); an array of one type (integers and doubles together count as doubles) becomes
/// one multi-value field; other arrays are flattened by index (`tags.0`, `tags.1`). `null` and
/// empty arrays add nothing. Chosen keys (flattened names) set header variables instead of fields.
/// The Payload is cleared unless `keepPayload` (or a key mapped to it).
///
/// With `messageJSON` the payload is a whole message in Runnel's JSON shape
/// (docs/json-format.md) and decodes to exactly that message.
public struct JsonDecoder: Decoder {
    public enum Header: Sendable, Equatable {
        case timestamp, severity, type, payload, logger, hostname
    }

    /// How numbers in the timestamp key count time; `auto` guesses from the magnitude
    /// (below 10^11 seconds, 10^14 milliseconds, 10^17 microseconds, else nanoseconds).
    public enum TimestampUnit: String, Sendable, CaseIterable {
        case s, ms, us, ns, auto
    }

    let separator: [UInt8]
    /// Flattened key → the header it sets.
    let headerKeys: [ByteString: Header]
    let timestamps: TimestampReader
    let timestampUnit: TimestampUnit
    let severities: SeverityReader
    let type: ByteString?
    let keepPayload: Bool
    let messageJSON: Bool
    let clock: @Sendable () -> Int64

    init(separator: [UInt8] = Array(".".utf8), headerKeys: [ByteString: Header] = [:], timestamps: TimestampReader,
         timestampUnit: TimestampUnit = .s, severities: SeverityReader = SeverityReader(), type: ByteString? = nil,
         keepPayload: Bool = false, messageJSON: Bool = false,
         clock: @escaping @Sendable () -> Int64 = WallClock.nowNanoseconds) {
        self.separator = separator
        self.headerKeys = headerKeys
        self.timestamps = timestamps
        self.timestampUnit = timestampUnit
        self.severities = severities
        self.type = type
        self.keepPayload = keepPayload
        self.messageJSON = messageJSON
        self.clock = clock
    }

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        let bytes = message.payload?.bytes ?? []
        if messageJSON {
            do {
                return [try MessageJSON.decode(bytes)]
            } catch {
                throw DecodeFailure(error.description)
            }
        }
        var decoded = message
        if !keepPayload { decoded.payload = nil }
        if let type { decoded.type = type }
        decoded.fields.reserveCapacity(decoded.fields.count + 16)
        let sink = FieldSink(decoder: self, now: headerKeys.isEmpty ? 0 : clock())
        var failure: DecodeFailure?
        do throws(JSONError) {
            try JSONObjectWalker.walk(bytes, separator: separator) { name, value in
                guard failure == nil else { return }
                do throws(DecodeFailure) {
                    try sink.member(name, value, into: &decoded)
                } catch {
                    failure = error
                }
            }
        } catch {
            throw DecodeFailure(error.description)
        }
        if let failure { throw failure }
        return [decoded]
    }
}
