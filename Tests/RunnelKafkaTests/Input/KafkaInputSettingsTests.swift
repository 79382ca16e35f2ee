import Testing
import RunnelCore
@testable import RunnelKafka

@Suite struct KafkaInputSettingsTests {
    @Test func groupConsumerWithOffsetsStoredAfterConfirmation() throws {
        let settings = try KafkaConfigFixture.input("addrs = [\"k:9092\"]\ntopic = \"logs\"\n")
        #expect(settings.properties["group.id"] == "runnel.consume")
        #expect(settings.properties["enable.auto.offset.store"] == "false")
        #expect(settings.properties["enable.auto.commit"] == "true")
        #expect(settings.subscription == .topics(["logs"], pattern: nil))
        #expect(settings.offsetMethod == .manual)
    }

    /// librdkafka 2.4+ would otherwise wait 1 s before fetching again once its queue was full;
    /// older versions refuse the property, so it is set only where it exists. A `[X.librdkafka]`
    /// value still wins.
    @Test func fetchesResumeSoonAfterAFullQueueWhereLibrdkafkaHasTheSetting() throws {
        let settings = try KafkaConfigFixture.input("addrs = [\"k:9092\"]\ntopic = \"logs\"\n")
        #expect(settings.properties["fetch.queue.backoff.ms"] == (KafkaLibrary.hasFetchQueueBackoff ? "20" : nil))
        guard KafkaLibrary.hasFetchQueueBackoff else { return }
        let tuned = try KafkaConfigFixture.input("""
            addrs = ["k:9092"]
            topic = "logs"
            [consume.librdkafka]
            "fetch.queue.backoff.ms" = 500
            """)
        #expect(tuned.properties["fetch.queue.backoff.ms"] == "500")
    }

    @Test func topicsPatternAndGroup() throws {
        let settings = try KafkaConfigFixture.input("""
            addrs = ["k:9092"]
            topics = ["a", "b"]
            topic_pattern = '^runnel\\.logs\\.'
            group = "billing"
            offset_method = "Newest"

            """)
        #expect(settings.subscription == .topics(["a", "b"], pattern: #"^runnel\.logs\."#))
        #expect(settings.properties["group.id"] == "billing")
        #expect(settings.offsetMethod == .newest)
        #expect(settings.properties["auto.offset.reset"] == "latest")
    }

    @Test func explicitPartitionAssignsWithoutGroupMembership() throws {
        let settings = try KafkaConfigFixture.input("addrs = [\"k:9092\"]\ntopic = \"logs\"\npartition = 2\n")
        #expect(settings.subscription == .partitions([("logs", 2)]))
    }

    /// A consumer's properties are checked together as well, as librdkafka does when it makes
    /// the consumer.
    @Test func conflictingConsumerPropertiesAreAConfigurationError() {
        let error = #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.input("addrs = [\"k:9092\"]\ntopic = \"logs\"\n[consume.librdkafka]\n\"fetch.max.bytes\" = \"1000\"\n")
        }
        #expect(error?.key == "librdkafka")
        #expect(error?.message.contains("fetch.max.bytes") == true, "\(String(describing: error))")
    }

    @Test func aTopicIsRequiredAndPatternsMustCompile() {
        #expect(throws: PluginBuildError.self) { try KafkaConfigFixture.input("addrs = [\"k:9092\"]\n") }
        #expect(throws: PluginBuildError.self) { try KafkaConfigFixture.input("addrs = [\"k:9092\"]\ntopic_pattern = \"(\"\n") }
    }

    @Test func recordsBecomeHekaStyleMessages() {
        let record = KafkaConsumedRecord(topic: "logs", partition: 3, offset: 41, key: Array("k1".utf8),
                                         value: Array("hello".utf8), timestampMilliseconds: 1_700_000_000_123, assignment: 1)
        let message = KafkaInput.message(from: record, hostname: "h")
        #expect(message.payload == "hello")
        #expect(message.type == "heka.kafka")
        #expect(message.logger == "logs")
        #expect(message.timestamp == 1_700_000_000_123_000_000)
        #expect(message.field(named: "Topic")?.values == .string(["logs"]))
        #expect(message.field(named: "Partition")?.values == .integer([3]))
        #expect(message.field(named: "Offset")?.values == .integer([41]))
        #expect(message.field(named: "Key")?.values == .bytes(["k1"]))
    }

    @Test func anAbsurdTimestampFallsBackToNow() {
        let record = KafkaConsumedRecord(topic: "t", partition: 0, offset: 0, key: nil, value: [],
                                         timestampMilliseconds: Int64.max / 10, assignment: 0)
        let before = WallClock.nowNanoseconds()
        #expect(KafkaInput.message(from: record, hostname: "h").timestamp >= before)
    }
}
