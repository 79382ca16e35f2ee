import RunnelCore

/// One message per line in Runnel's documented JSON shape (docs/json-format.md), which
/// `runnel match`, `runnel cat` and JsonDecoder read back losslessly.
public struct JsonEncoder: Encoder {
    public var appendNewlines: Bool

    public init(appendNewlines: Bool = true) {
        self.appendNewlines = appendNewlines
    }

    public func encode(_ message: Message, into buffer: inout [UInt8]) throws(EncodeFailure) {
        MessageJSON.encode(message, into: &buffer)
        if appendNewlines { buffer.append(0x0A) }
    }
}
