@testable import RunnelKafka
import Testing

@Suite struct KafkaConsumedBatchTests {
    private func positions(_ batch: KafkaConsumedBatch) -> [String] {
        batch.positions.map { "\($0.topic)/\($0.partition)#\($0.assignment)@\($0.offset)" }
    }

    @Test func aRunOfOnePartitionKeepsItsLastOffset() {
        var batch = KafkaConsumedBatch()
        for offset in Int64(10)...12 { batch.note(topic: "t", partition: 0, offset: offset, assignment: 1) }
        #expect(positions(batch) == ["t/0#1@12"])
    }

    @Test func partitionsAndAssignmentsAreKeptApartInTheOrderTheirLastRecordsCame() {
        var batch = KafkaConsumedBatch()
        batch.note(topic: "t", partition: 0, offset: 5, assignment: 1)
        batch.note(topic: "t", partition: 1, offset: 7, assignment: 1)
        batch.note(topic: "u", partition: 0, offset: 2, assignment: 1)
        batch.note(topic: "t", partition: 0, offset: 6, assignment: 1)
        batch.note(topic: "t", partition: 0, offset: 0, assignment: 2)
        #expect(positions(batch) == ["t/1#1@7", "u/0#1@2", "t/0#1@6", "t/0#2@0"])
    }
}
