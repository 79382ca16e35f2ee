import Foundation
import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite struct FileOutputTests {
    static func batch(_ messages: [Message], acknowledgement: BatchAcknowledgement? = nil) -> RoutedBatch {
        RoutedBatch(messages: messages, origins: Array(messages.indices), acknowledgement: acknowledgement,
                    byteSize: messages.reduce(0) { $0 + $1.estimatedByteSize })
    }

    @Test func writesEachMessageToItsInterpolatedPathAndConfirms() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        var options = FileOutput.Options(path: try InterpolatedTemplate(harness.folder + "/%{Fields[MARATHON_APP_ID]}/%{%Y}.log"))
        options.flushInterval = .milliseconds(10)
        let output = FileOutput(options: options)
        let context = harness.outputContext(encoder: PayloadEncoder())
        let outcomes = OutcomeLog()
        let messages = [
            Message(timestamp: 1_416_840_893_000_000_000, payload: "a1", fields: [.string("MARATHON_APP_ID", "/web/api")]),
            Message(timestamp: 1_416_840_893_000_000_000, payload: "b1", fields: [.string("MARATHON_APP_ID", "../etc")]),
            Message(timestamp: 1_416_840_893_000_000_000, payload: "a2", fields: [.string("MARATHON_APP_ID", "/web/api")]),
        ]
        let ack = BatchAcknowledgement(messageCount: 3) { outcomes.append($0) }
        ack.retain()
        #expect(await harness.queue.push(Self.batch(messages, acknowledgement: ack)) == .accepted)
        ack.release()
        harness.queue.close()
        try await output.run(context)

        // "/" in a value becomes "_", so a message cannot climb out of the folder.
        #expect(try String(contentsOfFile: harness.folder + "/_web_api/2014.log", encoding: .utf8) == "a1\na2\n")
        #expect(try String(contentsOfFile: harness.folder + "/.._etc/2014.log", encoding: .utf8) == "b1\n")
        #expect(outcomes.all == [BatchOutcome(messages: 3, delivered: 3, unmatched: 0, dropped: [:])])
        #expect(context.counters.snapshot.delivered == 3)
    }

    @Test func flushCountWithOrWaitsForEnoughMessagesOrTheInterval() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        let path = harness.folder + "/out.log"
        var options = FileOutput.Options(path: try InterpolatedTemplate(path))
        options.flushCount = 3
        options.flushOperator = .or
        options.flushInterval = .seconds(60)
        let context = harness.outputContext(encoder: PayloadEncoder())
        let task = Task { try await FileOutput(options: options).run(context) }
        _ = await harness.queue.push(Self.batch([Message(payload: "1")]))
        _ = await harness.queue.push(Self.batch([Message(payload: "2")]))
        try await Task.sleep(for: .milliseconds(200))
        let early = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(early.isEmpty)
        _ = await harness.queue.push(Self.batch([Message(payload: "3")]))
        for _ in 0..<100 where (try? String(contentsOfFile: path, encoding: .utf8)) != "1\n2\n3\n" {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1\n2\n3\n")
        harness.queue.close()
        try await task.value
    }

    @Test func framedProtobufFilesAreReadableByTheStreamReader() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        let path = harness.folder + "/out.heka"
        let messages = (0..<5).map { Message(timestamp: Int64($0), type: "t", payload: ByteString("p\($0)")) }
        let context = harness.outputContext(encoder: ProtobufEncoder(), useFraming: true)
        _ = await harness.queue.push(Self.batch(messages))
        harness.queue.close()
        try await FileOutput(options: FileOutput.Options(path: try InterpolatedTemplate(path))).run(context)
        var reader = HekaStreamReader()
        reader.append(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        var decoded: [Message] = []
        while case .frame(let frame)? = reader.next() { decoded.append(try frame.decodeMessage()) }
        #expect(decoded == messages)
    }
}
