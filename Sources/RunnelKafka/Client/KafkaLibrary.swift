import CRdKafka

/// The librdkafka this process loaded at run time (which may differ from the headers it was built
/// against: a newer `librdkafka.so.1` can be put first with `LD_LIBRARY_PATH`).
public enum KafkaLibrary {
    /// 2.2.0 fixed the skipping of KIP-482 tagged fields (librdkafka pull request 4278).
    static let taggedFieldFix: Int32 = 0x0202_00ff

    /// 2.4.0 added `fetch.queue.backoff.ms` (older versions refuse the property).
    static let fetchQueueBackoff: Int32 = 0x0204_00ff

    public static var version: String { String(cString: rd_kafka_version_str()) }
    public static var versionNumber: Int32 { rd_kafka_version() }

    /// True when the loaded librdkafka has `fetch.queue.backoff.ms`.
    static var hasFetchQueueBackoff: Bool { versionNumber >= fetchQueueBackoff }

    /// True when the loaded librdkafka mis-reads tagged fields and cannot talk to current brokers.
    public static var hasTaggedFieldBug: Bool { versionNumber < taggedFieldFix }

    /// The line to log at start when the library is too old, naming the symptom and the cure.
    public static var tooOldWarning: String? {
        guard hasTaggedFieldBug else { return nil }
        return "librdkafka \(version) is older than 2.2.0: it mis-reads KIP-482 tagged fields, so brokers that send them "
            + "(Tansu, recent Apache Kafka) fail the handshake with \"ApiVersionRequest failed: Local: Read underflow\"; "
            + "load a current librdkafka.so.1 with LD_LIBRARY_PATH (see docs/kafka.md)"
    }
}
