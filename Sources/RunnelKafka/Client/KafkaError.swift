import CRdKafka

/// A librdkafka error code with its text and how Runnel treats it.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String? = nil) {
        self.code = code
        self.message = message ?? String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(code)))
    }

    init(_ error: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(code: error.rawValue, message: message)
    }


    /// librdkafka's symbolic name, e.g. `MSG_SIZE_TOO_LARGE`.
    public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code))) }

    public var description: String { "\(message) (\(name))" }

    /// Errors that retrying the same message cannot fix: the message goes to the dead-letter file.
    public var isPermanent: Bool { Self.permanentCodes.contains(code) }

    /// The producer's message was purged from its queues (while the producer is rebuilt).
    var isPurge: Bool {
        code == RD_KAFKA_RESP_ERR__PURGE_QUEUE.rawValue || code == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT.rawValue
    }

    var isFatal: Bool { code == RD_KAFKA_RESP_ERR__FATAL.rawValue }

    private static let permanentCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
        RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,
        RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_RECORD,
        RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS, RD_KAFKA_RESP_ERR__INVALID_ARG,
        RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}
