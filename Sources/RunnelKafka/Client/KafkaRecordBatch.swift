/// Records to produce, their values and keys packed into one byte buffer: encoding a batch
/// allocates per batch rather than per record, and the producer hands librdkafka pointers into one
/// copy of the buffer instead of having it copy every value.
public struct KafkaRecordBatch: Sendable {
    struct Entry: Sendable {
        var topic: Int
        var valueStart: Int
        var valueCount: Int
        /// The key follows the value; -1: no key.
        var keyCount: Int
    }

    public private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []
    private(set) var topics: [String] = []

    public init() {}

    public init(_ records: [KafkaRecord]) {
        reserve(records: records.count, bytes: records.reduce(0) { $0 + $1.value.count + ($1.key?.count ?? 0) })
        for record in records {
            _ = append(topic: record.topic, key: record.key) { $0.append(contentsOf: record.value); return true }
        }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public mutating func reserve(records: Int, bytes byteCount: Int) {
        entries.reserveCapacity(records)
        bytes.reserveCapacity(byteCount)
    }

    /// Appends a record whose value `encode` appends to the buffer it is given. When `encode`
    /// returns false it must leave the buffer as it found it, and nothing is added.
    public mutating func append(topic: String, key: [UInt8]?, value encode: (inout [UInt8]) -> Bool) -> Bool {
        let start = bytes.count
        guard encode(&bytes) else { return false }
        let valueCount = bytes.count - start
        if let key { bytes.append(contentsOf: key) }
        entries.append(Entry(topic: topicIndex(topic), valueStart: start, valueCount: valueCount, keyCount: key?.count ?? -1))
        return true
    }

    /// Most batches have one topic: the last one is compared before the list is searched.
    private mutating func topicIndex(_ topic: String) -> Int {
        if let last = topics.last, last == topic { return topics.count - 1 }
        if let known = topics.firstIndex(of: topic) { return known }
        topics.append(topic)
        return topics.count - 1
    }

    public func topic(at position: Int) -> String { topics[entries[position].topic] }

    /// A copy of one record (for dead letters and tests; producing reads the buffer in place).
    public subscript(position: Int) -> KafkaRecord {
        let entry = entries[position]
        let valueEnd = entry.valueStart + entry.valueCount
        return KafkaRecord(topic: topics[entry.topic],
                           key: entry.keyCount < 0 ? nil : Array(bytes[valueEnd..<valueEnd + entry.keyCount]),
                           value: Array(bytes[entry.valueStart..<valueEnd]))
    }
}
