/// Runnel's one JSON shape for a message (docs/json-format.md), used by `runnel match`,
/// `runnel cat` and the JsonEncoder. Every `Message` round-trips exactly: header values unset vs
/// empty, field types, representations, repeated names and order, bytes that are not UTF-8, NaN
/// and infinite doubles.
///
///     {"Uuid":"…","Timestamp":1416840893000000000,"Type":"DockerLog","Hostname":"node-1",
///      "Fields":{"ContainerName":"web","Count":3,"Ratio":0.5,"Tags":["a","b"],
///                "Size":{"type":"integer","representation":"B","value":512}}}
public enum MessageJSON {
    /// One line of JSON, no trailing newline.
    public static func encode(_ message: Message) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(message, into: &buffer)
        return buffer
    }

    /// Appends the message's JSON to `buffer` (for example after the previous line's newline).
    public static func encode(_ message: Message, into buffer: inout [UInt8]) {
        ThreadJSONWriter.withWriter { writer in
            writer.message(message)
            writer.append(to: &buffer)
        }
    }

    /// Writes the message's JSON with `writer`, as one value (an encoder's hot path: reuse one
    /// writer for a whole batch, separating lines itself).
    public static func encode(_ message: Message, to writer: inout JSONWriter) {
        writer.message(message)
    }

    /// Reads one message. Whitespace around the object is allowed; anything else after it is not.
    public static func decode<C: Collection>(_ bytes: C) throws(MessageJSONError) -> Message
    where C.Element == UInt8 {
        do {
            return try JSONScanner.scan(bytes, maxDepth: maxDepth) { (scanner) throws(JSONError) in
                try scanner.readMessage()
            }
        } catch {
            throw MessageJSONError(offset: error.offset, reason: error.reason)
        }
    }

    /// The shape nests five levels at most (message, Fields, long form, value array, base64
    /// object); a little room beyond that still gives a clear error for anything deeper.
    static let maxDepth = 16
}
