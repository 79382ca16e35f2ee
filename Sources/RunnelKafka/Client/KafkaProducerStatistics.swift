import RunnelCore

/// The figures Runnel exports from librdkafka's statistics JSON (`statistics.interval.ms`).
public struct KafkaProducerStatistics: Sendable, Equatable {
    /// Messages and bytes waiting in the producer's queues.
    public var queuedMessages: Int64 = 0
    public var queuedBytes: Int64 = 0
    /// Messages and bytes sent to brokers so far.
    public var sentMessages: Int64 = 0
    public var sentBytes: Int64 = 0
    /// Round-trip time to the brokers, average and worst of the window, in microseconds.
    public var rttAverageMicroseconds: Int64 = 0
    public var rttMaxMicroseconds: Int64 = 0
    /// Average messages per produce batch over the window.
    public var batchMessagesAverage: Int64 = 0

    public init() {}

    init?(json: [UInt8]) {
        guard let root = try? JSONReader.parse(json), case .object = root else { return nil }
        queuedMessages = root["msg_cnt"]?.integer ?? 0
        queuedBytes = root["msg_size"]?.integer ?? 0
        sentMessages = root["txmsgs"]?.integer ?? 0
        sentBytes = root["txmsg_bytes"]?.integer ?? 0
        if case .object(let brokers)? = root["brokers"] {
            var rttSum: Int64 = 0
            var counted: Int64 = 0
            for broker in brokers.map(\.value) {
                guard let rtt = broker["rtt"], let average = rtt["avg"]?.integer, average > 0 else { continue }
                rttSum += average
                counted += 1
                rttMaxMicroseconds = max(rttMaxMicroseconds, rtt["max"]?.integer ?? 0)
            }
            rttAverageMicroseconds = counted > 0 ? rttSum / counted : 0
        }
        if case .object(let topics)? = root["topics"] {
            let averages = topics.compactMap { $0.value["batchcnt"]?["avg"]?.integer }.filter { $0 > 0 }
            batchMessagesAverage = averages.isEmpty ? 0 : averages.reduce(0, +) / Int64(averages.count)
        }
    }
}

extension JSONValue {
    fileprivate var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value): return Int64(exactly: value.rounded())
        default: return nil
        }
    }
}
