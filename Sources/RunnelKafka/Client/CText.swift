/// The text librdkafka wrote into a NUL-terminated error buffer.
func text(ofErrorBuffer buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
