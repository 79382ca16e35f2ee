import RunnelCore

/// Heka's ESJsonEncoder: for each message a bulk action line, then the message as a flat JSON
/// document whose header members are named by `field_mappings` and whose dynamic fields sit beside
/// them (`ESDynamicFields` says how repeats, collisions and types are written).
public struct ESJsonEncoder: Encoder {
    public static let defaultKeys: [ESMessagePart: String] = Dictionary(
        uniqueKeysWithValues: ESMessagePart.allCases.map { ($0, $0.rawValue) })

    var action: ESBulkAction
    var parts: [(part: ESMessagePart, key: JSONKey)]
    var headers: ESHeaderMembers
    var dynamicFields: ESDynamicFields
    /// Header keys, for the dynamic fields' collision check.
    var headerKeys: ESReservedKeys

    /// `keys` renames header members (`field_mappings`); `parts` chooses and orders them.
    public init(action: ESBulkAction, parts: [ESMessagePart] = ESMessagePart.all, keys: [ESMessagePart: String] = [:],
                timestampFormat: String = "%Y-%m-%dT%H:%M:%S", dynamicFields: ESDynamicFields = ESDynamicFields())
        throws(InterpolatedTemplate.SyntaxError) {
        self.action = action
        var chosen: [(ESMessagePart, JSONKey)] = []
        for part in parts where !chosen.contains(where: { $0.0 == part }) {
            chosen.append((part, JSONKey(keys[part] ?? part.rawValue)))
        }
        self.parts = chosen
        headers = try ESHeaderMembers(timestampFormat: timestampFormat)
        self.dynamicFields = dynamicFields
        headerKeys = ESReservedKeys(chosen.filter { $0.0 != .dynamicFields }.map { Array($0.1.name.utf8) })
    }

    /// Buffers reused per document; only in a task-local copy.
    var scratch: ESEncodeScratch?

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        if let scratch {
            scratch.writer.reset()
            write(message, into: &scratch.writer, indexName: &scratch.indexName, idInput: &scratch.idInput)
            scratch.writer.append(to: &buffer)
            return
        }
        // Enough for the action line, header members and typical fields at once: growing the
        // writer midway copies what it holds.
        var writer = JSONWriter(reservingCapacity: 448 + (message.payload?.count ?? 0) + 64 * message.fields.count)
        var indexName: [UInt8] = []
        var idInput: [UInt8] = []
        write(message, into: &writer, indexName: &indexName, idInput: &idInput)
        writer.append(to: &buffer)
    }

    private func write(_ message: Message, into writer: inout JSONWriter, indexName: inout [UInt8], idInput: inout [UInt8]) {
        action.write(for: message, into: &writer, indexName: &indexName, idInput: &idInput)
        writer.lineBreak()
        writer.beginObject()
        // Read in place: iterating copies each key, and retaining keys every request task shares
        // makes the threads fight over their reference counts.
        parts.withUnsafeBufferPointer { parts in
            for index in parts.indices {
                if parts[index].part == .dynamicFields {
                    dynamicFields.write(message.fields, into: &writer, reservedKeys: headerKeys)
                } else {
                    headers.write(parts[index].part, key: parts[index].key, of: message, into: &writer)
                }
            }
        }
        writer.endObject()
        writer.lineBreak()
    }
}
