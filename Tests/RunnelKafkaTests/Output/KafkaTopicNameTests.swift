import Testing
import RunnelCore
@testable import RunnelKafka

@Suite struct KafkaTopicNameTests {
    func sanitised(_ value: String) -> String {
        String(decoding: KafkaTopicName.sanitiseValue(Array(value.utf8)), as: UTF8.self)
    }

    @Test func marathonAppIdsBecomeDottedNames() {
        #expect(sanitised("/web/api") == "web.api")
        #expect(sanitised("//billing") == "billing")
        #expect(sanitised("web") == "web")
    }

    @Test func illegalBytesBecomeUnderscores() {
        #expect(sanitised("/a b/c:d*é") == "a_b.c_d___")
        #expect(sanitised("ok-1_2.3") == "ok-1_2.3")
    }

    @Test func finishingTruncatesAndReplacesReservedNames() {
        #expect(KafkaTopicName.finish(Array(repeating: UInt8(ascii: "a"), count: 300)).count == 249)
        #expect(KafkaTopicName.finish([]) == "unknown")
        #expect(KafkaTopicName.finish(Array("..".utf8)) == "unknown")
        #expect(KafkaTopicName.finish(Array("logs".utf8)) == "logs")
    }

    @Test func literalCheckNamesTheFirstIllegalCharacter() {
        #expect(KafkaTopicName.firstIllegalCharacter(in: "runnel.logs") == nil)
        #expect(KafkaTopicName.firstIllegalCharacter(in: "runnel/logs") == "/")
    }
}
