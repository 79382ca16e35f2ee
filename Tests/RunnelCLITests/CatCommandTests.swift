import Foundation
import RunnelCore
import RunnelTestSupport
import Testing

/// `runnel cat` (Heka's heka-cat) as a real process.
@Suite struct CatCommandTests {
    static func numbered(_ count: Int) -> [Message] {
        (0..<count).map { index in
            Message(timestamp: Int64(index), type: index.isMultiple(of: 2) ? "even" : "odd",
                    payload: ByteString("line \(index)"), fields: [.integer("n", Int64(index))])
        }
    }

    @Test func printsEveryMessageAndCounts() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("log.heka", MatchCommandTests.framed(Self.numbered(10)))
        let count = try await RunnelProcess.run(["cat", path, "--format", "count"])
        #expect(count.status == 0)
        #expect(count.stdoutText == "10\n")
        let filtered = try await RunnelProcess.run(["cat", path, "--match", "Type == 'odd' && Fields[n] > 4", "--format", "count"])
        #expect(filtered.stdoutText == "3\n")  // n = 5, 7, 9
    }

    @Test func maxnumStopsEarly() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("log.heka", MatchCommandTests.framed(Self.numbered(10)))
        let result = try await RunnelProcess.run(["cat", path, "--maxnum", "3", "--format", "json"])
        #expect(result.stdoutText.split(separator: "\n").count == 3)
    }

    @Test func offsetStartsAtAFrameBoundary() async throws {
        let scratch = try ScratchFolder()
        let messages = Self.numbered(4)
        let firstTwo = MatchCommandTests.framed(Array(messages[0..<2]))
        let path = try scratch.file("log.heka", MatchCommandTests.framed(messages))
        let result = try await RunnelProcess.run(["cat", path, "--offset", "\(firstTwo.count)", "--format", "json"])
        let payloads = try result.stdoutText.split(separator: "\n").map { try MessageJSON.decode(Array($0.utf8)).payload }
        #expect(payloads == ["line 2", "line 3"])
    }

    @Test func offsetInsideAFrameResynchronisesAndReportsTheSkip() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("log.heka", MatchCommandTests.framed(Self.numbered(3)))
        let result = try await RunnelProcess.run(["cat", path, "--offset", "3", "--format", "count"])
        #expect(result.stdoutText == "2\n")
        #expect(result.stderr.contains("offset 3"))
    }

    @Test func truncatedFinalFrameIsReported() async throws {
        let scratch = try ScratchFolder()
        var bytes = MatchCommandTests.framed(Self.numbered(2))
        let whole = bytes.count
        bytes.append(MatchCommandTests.framed([Self.numbered(3)[2]]).prefix(7))
        let path = try scratch.file("log.heka", bytes)
        let result = try await RunnelProcess.run(["cat", path, "--format", "count"])
        #expect(result.status == 0)
        #expect(result.stdoutText == "2\n")
        #expect(result.stderr.contains("\(whole)"))
    }

    @Test func missingFileIsAnError() async throws {
        let result = try await RunnelProcess.run(["cat", "/nonexistent/log.heka"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot open /nonexistent/log.heka"))
    }

    @Test func tailFollowsAppends() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("grow.heka", MatchCommandTests.framed(Self.numbered(1)))
        let outputURL = scratch.url.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = RunnelProcess.executable
        process.arguments = ["cat", path, "--tail", "--format", "json"]
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        func lines() throws -> Int { try String(contentsOf: outputURL, encoding: .utf8).split(separator: "\n").count }
        func waitFor(_ count: Int) throws -> Bool {
            for _ in 0..<100 where try lines() < count { usleep(50_000) }
            return try lines() == count
        }
        #expect(try waitFor(1))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: MatchCommandTests.framed(Array(Self.numbered(3)[1...])))
        try handle.close()
        #expect(try waitFor(3))
    }
}
