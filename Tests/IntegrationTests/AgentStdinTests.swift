import Foundation
import RunnelTestSupport
import Testing

/// `… | runnel agent`: StdinInput reads to the end, then the agent drains and exits 0.
@Suite struct AgentStdinTests {
    @Test func pipedInputIsDeliveredAndTheAgentExitsWhenItEnds() async throws {
        let scratch = try ScratchFolder()
        let config = try scratch.file("agent.toml", """
            [runnel]
            base_dir = "\(scratch.url.path)/state"
            admin_address = "off"

            [stdin]
            type = "StdinInput"

            [out]
            type = "FileOutput"
            message_matcher = "Type == 'stdin'"
            path = "\(scratch.url.path)/out.jsonl"
            encoder = "JsonEncoder"
            """)
        var input = Data((0..<5000).map { "line \($0)\n" }.joined().utf8)
        input.append(contentsOf: [0xff, 0x00, 0x41, 0x0a])  // invalid UTF-8 and a NUL byte
        input.append(Data("no newline at the end".utf8))
        let result = try await RunnelProcess.run(["agent", "-c", config], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: scratch.url.path + "/out.jsonl", encoding: .utf8).split(separator: "\n")
        // The unterminated last line is not a record (TokenSplitter's deliver_incomplete_final is off).
        #expect(lines.count == 5001)
        #expect(lines.first?.contains("\"Payload\":\"line 0\"") == true)
        #expect(lines.last?.contains("base64") == true, "invalid UTF-8 survives losslessly: \(lines.last ?? "")")
    }
}
