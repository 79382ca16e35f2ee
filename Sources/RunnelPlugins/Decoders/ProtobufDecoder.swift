import RunnelCore

/// Decodes a record holding Heka protobuf message bytes (from HekaFramingSplitter) into that
/// message (Heka's ProtobufDecoder).
public struct ProtobufDecoder: Decoder {
    public init() {}

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        guard let bytes = message.payload?.bytes else { throw DecodeFailure("no message bytes in the record") }
        do {
            return [try MessageProtobuf.decode(bytes)]
        } catch {
            throw DecodeFailure("invalid protobuf message at byte \(error.offset): \(error.reason)")
        }
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(typeName: "ProtobufDecoder", category: .decoder,
                             summary: "Decodes Heka protobuf message bytes (from HekaFramingSplitter) into the message they hold.",
                             options: [], hekaCompatible: true, implicitInstance: true)
    ) { _, _ throws(PluginBuildError) in .decoder(ProtobufDecoder()) }
}
