import Testing
@testable import RunnelKafka

/// The packed form KafkaOutput hands the producer: every record's topic, key and value come back
/// out exactly as they went in.
@Suite struct KafkaRecordBatchTests {
    @Test func recordsComeBackAsTheyWerePacked() {
        let records = [
            KafkaRecord(topic: "a", key: Array("k1".utf8), value: Array("one".utf8)),
            KafkaRecord(topic: "a", key: nil, value: []),
            KafkaRecord(topic: "b", key: [], value: Array("three".utf8)),
            KafkaRecord(topic: "a", key: Array("k4".utf8), value: Array("four".utf8)),
        ]
        let batch = KafkaRecordBatch(records)
        #expect(batch.count == 4)
        #expect((0..<batch.count).map { batch[$0] } == records)
        #expect((0..<batch.count).map { batch.topic(at: $0) } == ["a", "a", "b", "a"])
        #expect(batch.topics == ["a", "b"], "a topic is stored once")
        #expect(batch.bytes == Array("onek1threefourk4".utf8))
    }

    @Test func aRefusedValueAddsNothing() {
        var batch = KafkaRecordBatch()
        #expect(batch.append(topic: "t", key: nil) { $0.append(contentsOf: Array("kept".utf8)); return true })
        let refused = batch.append(topic: "t", key: Array("k".utf8)) { _ in false }
        #expect(!refused)
        #expect(batch.count == 1)
        #expect(batch.bytes == Array("kept".utf8))
        #expect(batch[0] == KafkaRecord(topic: "t", key: nil, value: Array("kept".utf8)))
    }
}
