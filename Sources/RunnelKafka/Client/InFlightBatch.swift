/// A submitted batch (or a piece of one) until its last record has its final delivery report.
/// A class: a report marks one record in place, where a struct taken out of the dictionary copied
/// the whole `reported` array per report (quadratic in the batch size). Used on the producer
/// thread only.
final class InFlightBatch {
    let records: KafkaRecordBatch
    /// The records of `records` this piece holds; positions count from its lower bound.
    let range: Range<Int>
    /// librdkafka reads values and keys from here until each record's delivery report, so it is
    /// kept as long as the batch is in flight (the messages are produced without copying).
    let payload: PinnedBytes
    let completion: KafkaProducer.Completion
    var reported: [Bool]
    var remaining: Int
    var failures: [KafkaDeliveryFailure] = []

    init(records: KafkaRecordBatch, range: Range<Int>, payload: PinnedBytes, completion: @escaping KafkaProducer.Completion) {
        self.records = records
        self.range = range
        self.payload = payload
        self.completion = completion
        reported = Array(repeating: false, count: range.count)
        remaining = range.count
    }

    var count: Int { range.count }

    func topicIndex(_ position: Int) -> Int { records.entries[range.lowerBound + position].topic }

    func topic(_ position: Int) -> String { records.topic(at: range.lowerBound + position) }

    /// Where librdkafka finds a record's value and key, and how many bytes they take in its queue.
    func pointers(_ position: Int) -> (value: UnsafeMutableRawPointer, valueCount: Int, key: UnsafeMutableRawPointer?, keyCount: Int) {
        let entry = records.entries[range.lowerBound + position]
        let value = payload.base + entry.valueStart
        return (value, entry.valueCount, entry.keyCount < 0 ? nil : value + entry.valueCount, max(0, entry.keyCount))
    }
}

/// A copy of a batch's bytes at an address that stays put until it is released: librdkafka keeps
/// pointers into it from producing until the delivery report, which a Swift array's storage does
/// not promise.
final class PinnedBytes {
    let base: UnsafeMutableRawPointer

    init(copying bytes: [UInt8]) {
        base = .allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes { source in
            if let address = source.baseAddress { base.copyMemory(from: address, byteCount: source.count) }
        }
    }

    deinit { base.deallocate() }
}
