import CRdKafka

/// The text librdkafka wrote into a NUL-terminated error buffer.
func text(ofErrorBuffer buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A librdkafka client from `conf` (which it takes over); a consumer's main queue is redirected to
/// its consumer queue, so one poll serves both.
func newKafkaClient(_ type: rd_kafka_type_t, _ conf: OpaquePointer) throws(KafkaClientError) -> OpaquePointer {
    var reason = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(type, conf, &reason, reason.count) else {
        rd_kafka_conf_destroy(conf)
        throw KafkaClientError(reason: text(ofErrorBuffer: reason))
    }
    if type == RD_KAFKA_CONSUMER { rd_kafka_poll_set_consumer(handle) }
    return handle
}
