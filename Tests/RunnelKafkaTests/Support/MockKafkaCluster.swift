import CRdKafka
import Foundation

/// librdkafka's in-process mock cluster (rdkafka_mock.h): real TCP listeners speaking the Kafka
/// protocol, whose brokers a test can take down and bring back on demand, keeping their data.
final class MockKafkaCluster: @unchecked Sendable {
    // The cluster's calls are thread-safe (they post to the mock cluster's own thread); the handles
    // are never reassigned after init, hence @unchecked Sendable.
    private let owner: OpaquePointer
    private let cluster: OpaquePointer
    let bootstraps: String

    struct Failure: Error {}

    init(brokers: Int32 = 1) throws {
        let conf = rd_kafka_conf_new()!
        var reason = [CChar](repeating: 0, count: 256)
        guard let owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &reason, reason.count) else { throw Failure() }
        guard let cluster = rd_kafka_mock_cluster_new(owner, brokers) else {
            rd_kafka_destroy(owner)
            throw Failure()
        }
        self.owner = owner
        self.cluster = cluster
        bootstraps = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(owner)
    }

    func createTopic(_ name: String, partitions: Int32 = 1) {
        _ = rd_kafka_mock_topic_create(cluster, name, partitions, 1)
    }

    func setBroker(_ id: Int32 = 1, up: Bool) {
        if up { _ = rd_kafka_mock_broker_set_up(cluster, id) } else { _ = rd_kafka_mock_broker_set_down(cluster, id) }
    }
}
