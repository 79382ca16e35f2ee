import Testing
import RunnelCore
@testable import RunnelKafka

@Suite struct KafkaOutputSettingsTests {
    @Test func safeDefaultsNeverDropSilently() throws {
        let settings = try KafkaConfigFixture.output("addrs = [\"b1:9092\", \"b2:9092\"]\n")
        let properties = settings.properties
        #expect(properties["bootstrap.servers"] == "b1:9092,b2:9092")
        #expect(properties["acks"] == "all")
        #expect(properties["enable.idempotence"] == "true")
        #expect(properties["message.timeout.ms"] == "0")
        #expect(properties["partitioner"] == "murmur2_random")
        #expect(properties["client.id"] == "test-host")
        #expect(properties["message.max.bytes"] == "1000000")
        #expect(properties["queue.buffering.max.kbytes"] == "4096")
        #expect(properties["linger.ms"] == "100")
    }

    @Test func hekaOptionsMapToLibrdkafkaProperties() throws {
        let settings = try KafkaConfigFixture.output("""
            brokers = ["k:9092"]
            id = "agent-7"
            required_acks = "WaitForLocal"
            compression_codec = "Snappy"
            partitioner = "Random"
            max_buffer_time = 20
            max_message_bytes = 20000
            timeout = 3000

            """)
        let properties = settings.properties
        #expect(properties["bootstrap.servers"] == "k:9092")
        #expect(properties["client.id"] == "agent-7")
        #expect(properties["acks"] == "1")
        #expect(properties["enable.idempotence"] == "false")
        #expect(properties["compression.codec"] == "snappy")
        #expect(properties["partitioner"] == "random")
        #expect(properties["linger.ms"] == "20")
        #expect(properties["message.max.bytes"] == "20000")
        #expect(properties["batch.size"] == "20000")
        #expect(properties["request.timeout.ms"] == "3000")
    }

    @Test func librdkafkaTableIsPassedThroughLast() throws {
        let settings = try KafkaConfigFixture.output("""
            addrs = ["k:9092"]
            [kafka.librdkafka]
            "linger.ms" = 50
            "acks" = "all"
            "statistics.interval.ms" = "1000"
            "socket.keepalive.enable" = true

            """)
        #expect(settings.properties["linger.ms"] == "50")
        #expect(settings.properties["statistics.interval.ms"] == "1000")
        #expect(settings.properties["socket.keepalive.enable"] == "true")
    }

    @Test func unknownLibrdkafkaPropertyIsAConfigurationError() {
        #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.output("addrs = [\"k:9092\"]\n[kafka.librdkafka]\n\"no.such.property\" = \"1\"\n")
        }
    }

    /// librdkafka checks some properties only together, when it makes a client; the agent must
    /// refuse such a table at start, not restart the output every 30 s.
    @Test func conflictingLibrdkafkaPropertiesAreAConfigurationError() throws {
        let error = #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.output("""
                addrs = ["k:9092"]
                [kafka.librdkafka]
                "queue.buffering.backpressure.threshold" = "5"

                """)
        }
        #expect(error?.key == "librdkafka")
        #expect(error?.message.contains("enable.idempotence") == true, "\(String(describing: error))")
        // The same property is fine once idempotence is off.
        let settings = try KafkaConfigFixture.output("""
            addrs = ["k:9092"]
            [kafka.librdkafka]
            "enable.idempotence" = false
            "queue.buffering.backpressure.threshold" = "5"

            """)
        #expect(settings.properties["queue.buffering.backpressure.threshold"] == "5")
    }

    @Test func tlsMapsToSSLProperties() throws {
        let settings = try KafkaConfigFixture.output("""
            addrs = ["k:9093"]
            use_tls = true
            [kafka.tls]
            root_cafile = "/etc/ca.pem"
            insecure_skip_verify = true

            """)
        #expect(settings.properties["security.protocol"] == "ssl")
        #expect(settings.properties["ssl.ca.location"] == "/etc/ca.pem")
        #expect(settings.properties["enable.ssl.certificate.verification"] == "false")
    }

    @Test func defaultTopicAndKeyComeFromTheAppId() throws {
        let settings = try KafkaConfigFixture.output("addrs = [\"k:9092\"]\n")
        let message = Message.app("/web/api", payload: "GET /")
        #expect(settings.topicName(for: message) == "runnel.logs.web.api")
        #expect(settings.keyBytes(for: message) == Array("/web/api".utf8))
        let anonymous = Message.app(nil, payload: "x")
        #expect(settings.topicName(for: anonymous) == "runnel.logs.unknown")
        #expect(settings.keyBytes(for: anonymous) == nil)
    }

    @Test func hekaVariablesChooseTopicAndKey() throws {
        let settings = try KafkaConfigFixture.output("addrs = [\"k:9092\"]\ntopic_variable = \"Type\"\nhash_variable = \"Fields[user]\"\n")
        let message = Message.app("/a", payload: "x", fields: [.string("user", "ann")])
        #expect(settings.topicName(for: message) == "test")
        #expect(settings.keyBytes(for: message) == Array("ann".utf8))
    }

    @Test func conflictingAndIllegalTopicsAreRefused() {
        #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.output("addrs = [\"k:9092\"]\ntopic = \"a\"\ntopic_variable = \"Type\"\n")
        }
        #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.output("addrs = [\"k:9092\"]\ntopic = \"bad/topic\"\n")
        }
        #expect(throws: PluginBuildError.self) {
            try KafkaConfigFixture.output("addrs = [\"k:9092\"]\ntopic = \"a.%{Fields[x]\"\n")
        }
    }

    @Test func missingBrokersAndBadValuesAreLoadErrors() {
        #expect(!KafkaConfigFixture.loadErrors("[k]\ntype = \"KafkaOutput\"\nmessage_matcher = \"TRUE\"\n").isEmpty)
        #expect(!KafkaConfigFixture.loadErrors("[k]\ntype = \"KafkaOutput\"\nmessage_matcher = \"TRUE\"\naddrs = [\"x:1\"]\nrequired_acks = \"Sometimes\"\n").isEmpty)
        #expect(KafkaConfigFixture.loadErrors("[k]\ntype = \"KafkaOutput\"\nmessage_matcher = \"TRUE\"\naddrs = [\"x:1\"]\nmetadata_retries = 3\n").isEmpty)
    }

    @Test func statisticsJSONIsRead() throws {
        let json = #"{"msg_cnt":12,"msg_size":3400,"txmsgs":99,"brokers":{"b1":{"rtt":{"avg":1500,"max":4000}},"b2":{"rtt":{"avg":500,"max":900}}},"topics":{"t":{"batchcnt":{"avg":40}}}}"#
        let stats = try #require(KafkaProducerStatistics(json: Array(json.utf8)))
        #expect(stats.queuedMessages == 12)
        #expect(stats.queuedBytes == 3400)
        #expect(stats.sentMessages == 99)
        #expect(stats.rttAverageMicroseconds == 1000)
        #expect(stats.rttMaxMicroseconds == 4000)
        #expect(stats.batchMessagesAverage == 40)
        #expect(KafkaProducerStatistics(json: Array("[1]".utf8)) == nil)
    }

    @Test func oldLibrdkafkaIsNamedWithItsSymptom() {
        if KafkaLibrary.hasTaggedFieldBug {
            #expect(KafkaLibrary.tooOldWarning?.contains("Read underflow") == true)
        } else {
            #expect(KafkaLibrary.tooOldWarning == nil)
            #expect(KafkaLibrary.versionNumber >= 0x0202_00ff)
        }
    }
}
