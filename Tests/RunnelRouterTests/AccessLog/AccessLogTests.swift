import Foundation
import RunnelCore
import RunnelTestSupport
import Testing
@testable import RunnelRouter

@Suite struct AccessLogTests {
    @Test func recordsGoToAnAgentAsHekaFramedMessagesWithSlardarFieldNames() async throws {
        let agent = try await ByteCollector.start()
        let upstream = try await TestUpstream.start(name: "up")
        let router = try await RouterHarness.start(app: [upstream.port], """
            [access_log]
            tcp_address = "127.0.0.1:\(agent.port)"
            hostname = "router-1"
            """)
        defer { Task { await router.stop(); await upstream.stop(); await agent.stop() } }
        for index in 0..<3 { _ = try await router.get("app", "/page/\(index)", headers: ["X-Request-Id: id-\(index)"]) }
        _ = try await router.get("unknown.host")
        var messages: [Message] = []
        let complete = await eventually {
            var reader = HekaStreamReader()
            reader.append(agent.bytes)
            messages = []
            while case .frame(let frame)? = reader.next() {
                if let message = try? frame.decodeMessage() { messages.append(message) }
            }
            return messages.count == 4
        }
        #expect(complete)
        let first = try #require(messages.first)
        #expect(first.type == "runnel.router.access")
        #expect(first.hostname == "router-1")
        let record = try JSONReader.parse(first.payload?.bytes ?? [])
        #expect(record["http_host"] == .string("app"))
        #expect(record["status"] == .integer(200))
        #expect(record["request_uri"] == .string("/page/0"))
        #expect(record["x_request_id"] == .string("id-0"))
        #expect(record["upstream_addr"] == .string("127.0.0.1:\(upstream.port)"))
        #expect(record["upstream_status"] == .string("200"))
        #expect(record["upstream_response_time"] != nil && record["request_time"] != nil)
        let unknown = try JSONReader.parse(messages[3].payload?.bytes ?? [])
        #expect(unknown["status"] == .integer(502))
    }

    @Test func anUnreachableAgentCostsRecordsNotRequests() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let deadPort = try LoopbackPort.ephemeral()
        let router = try await RouterHarness.start(app: [upstream.port], """
            [access_log]
            tcp_address = "127.0.0.1:\(deadPort)"
            buffer_records = 5
            """)
        defer { Task { await router.stop(); await upstream.stop() } }
        let started = ContinuousClock.now
        for _ in 0..<30 { #expect(try await router.get("app").status == 200) }
        #expect(ContinuousClock.now - started < .seconds(10))
        let status = try JSONReader.parse(try await router.admin("GET", "/status").body)
        guard case .integer(let dropped)? = status["access_log"]?["dropped"] else {
            Issue.record("no access_log counters in /status")
            return
        }
        #expect(dropped >= 20)
    }

    @Test func recordsCanGoToAFileAsJSONLines() async throws {
        let upstream = try await TestUpstream.start(name: "up")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("access-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let router = try await RouterHarness.start(app: [upstream.port], """
            [access_log]
            file = "\(path)"
            """)
        defer { Task { await upstream.stop() } }
        for _ in 0..<2 { _ = try await router.get("app") }
        await router.stop()
        let lines = (try String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("\"http_host\":\"app\"") && $0.contains("\"status\":200") })
    }
}
