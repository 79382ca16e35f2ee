import RunnelCore

/// Parses the payload with a regular expression (Heka's PayloadRegexDecoder).
///
/// Named captures (`(?P<name>…)` or `(?<name>…)`) feed the message:
/// - a capture named after a header variable (`Timestamp`, `Severity`, `Type`, `Logger`,
///   `Hostname`, `Payload`, `Pid`, `Uuid`, `EnvVersion`) sets it; `Timestamp` is read with
///   `timestamp_layout` and `Severity` through `severity_map` (Heka set only these two; Runnel
///   sets every header a capture names);
/// - `message_fields` entries are then applied, `%name%` replaced by the capture of that name
///   (unnamed groups are `%1%`, `%2%`, … as in Heka), else by the first value of the incoming
///   message's field of that name, else by `<name>`;
/// - without `message_fields`, every other named capture becomes a string field, so the decoder
///   is useful without a table (Heka added no field then).
///
/// The payload stays the record unless a capture or entry sets it. A record the regex does not
/// match, or whose timestamp, severity, pid or uuid does not convert, is a decode failure (Heka
/// logged those and passed the message on with the value unset).
public struct PayloadRegexDecoder: Decoder {
    public let regex: RegexPattern
    let template: MessageFieldsTemplate
    let writer: MessageValueWriter
    /// Group numbers (1-based) of captures that set a header, in group order.
    let headerCaptures: [(group: Int, target: MessageTarget)]
    /// Named captures that become fields when there is no template.
    let fieldCaptures: [(group: Int, name: ByteString)]
    /// Capture names (Heka's numbers for unnamed groups) to group numbers, for `%name%`.
    let groupsByName: [String: Int]
    let clock: @Sendable () -> Int64

    init(regex: RegexPattern, template: MessageFieldsTemplate, severities: SeverityReader,
         timestamps: TimestampReader, clock: @escaping @Sendable () -> Int64 = WallClock.nowNanoseconds) {
        self.regex = regex
        self.template = template
        self.writer = MessageValueWriter(severities: severities, timestamps: timestamps)
        self.clock = clock
        var byName: [String: Int] = [:]
        for index in 0..<regex.groupCount { byName[String(index + 1)] = index + 1 }
        var headers: [(Int, MessageTarget)] = []
        var fields: [(Int, ByteString)] = []
        for (name, group) in regex.namedGroups {
            byName[name] = group
            let target = MessageTarget(key: name)
            if target.isHeader {
                headers.append((group, target))
            } else if template.isEmpty {
                fields.append((group, ByteString(name)))
            }
        }
        self.groupsByName = byName
        self.headerCaptures = headers
        self.fieldCaptures = fields
    }

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        let payload = message.payload?.bytes ?? []
        guard let match = regex.firstMatch(in: payload) else {
            throw DecodeFailure("payload does not match match_regex /\(regex.pattern)/: '\(textPreview(payload))'")
        }
        func capture(_ group: Int) -> ArraySlice<UInt8> {
            guard group >= 1, group <= match.groups.count, let range = match.groups[group - 1] else { return [] }
            return payload[range]
        }
        var decoded = message
        let now = clock()
        for (group, target) in headerCaptures {
            try writer.assign(capture(group), to: target, in: &decoded, now: now)
        }
        for (group, name) in fieldCaptures {
            decoded.addField(.string(name, ByteString(bytes: capture(group))))
        }
        for entry in template.entries {
            let value = MessageFieldsTemplate.render(entry.parts) { name in
                if let group = groupsByName[name] { return capture(group) }
                return message.field(named: ByteString(name)).flatMap(Self.firstValueText)
            }
            try writer.assign(value, to: entry.target, in: &decoded, now: now)
        }
        return [decoded]
    }

    /// A field's first value as text, for `%name%` naming a field of the incoming message.
    static func firstValueText(_ field: Field) -> ArraySlice<UInt8>? {
        switch field.values {
        case .string(let values), .bytes(let values): return values.first.map { $0.bytes[...] }
        case .integer(let values): return values.first.map { Array(String($0).utf8)[...] }
        case .double(let values): return values.first.map { Array(String($0).utf8)[...] }
        case .bool(let values): return values.first.map { Array(($0 ? "true" : "false").utf8)[...] }
        }
    }
}
