/// One message to produce: a legal topic name, an optional key and the encoded value.
public struct KafkaRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]

    public init(topic: String, key: [UInt8]?, value: [UInt8]) {
        self.topic = topic
        self.key = key
        self.value = value
    }
}

/// A record of a submitted batch that the broker refused for good, by its position in the batch.
public struct KafkaDeliveryFailure: Sendable, Equatable {
    public let position: Int
    public let error: KafkaError

    public init(position: Int, error: KafkaError) {
        self.position = position
        self.error = error
    }
}
