import Foundation
import RunnelCore
import RunnelTestSupport
import Testing

/// `runnel match` run as a real process over real files and standard input.
@Suite struct MatchCommandTests {
    static let web = Message(timestamp: 1_416_840_893_000_000_000, type: "DockerLog", logger: "stdout",
                             severity: 6, payload: "GET /index.html 200",
                             fields: [.string("MARATHON_APP_ID", "/web/api"), .integer("status", 200)])
    static let worker = Message(timestamp: 1_416_840_894_000_000_000, type: "DockerLog", logger: "stderr",
                                severity: 3, payload: "job failed",
                                fields: [.string("MARATHON_APP_ID", "/batch/worker"), .integer("status", 500)])

    static func framed(_ messages: [Message]) -> Data {
        Data(messages.flatMap { HekaFraming.frame($0) })
    }

    static func jsonLines(_ messages: [Message]) -> Data {
        Data(messages.flatMap { MessageJSON.encode($0) + [0x0A] })
    }

    @Test func selectsFromAFramedFile() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("in.heka", Self.framed([Self.web, Self.worker, Self.web]))
        let result = try await RunnelProcess.run(["match", "Fields[MARATHON_APP_ID] =~ /^\\/web\\//", path, "--format", "count"])
        #expect(result.status == 0)
        #expect(result.stdoutText == "2\n")
    }

    @Test func readsJSONLinesFromStandardInput() async throws {
        let result = try await RunnelProcess.run(["match", "Severity < 5", "--format", "json"],
                                           stdin: Self.jsonLines([Self.web, Self.worker]))
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 1)
        let decoded = try MessageJSON.decode(Array(lines[0].utf8))
        #expect(decoded == Self.worker)
    }

    @Test func exitsOneWhenNothingMatches() async throws {
        let result = try await RunnelProcess.run(["match", "Type == 'nothing'", "--format", "count"],
                                           stdin: Self.framed([Self.web]))
        #expect(result.status == 1)
        #expect(result.stdoutText == "0\n")
    }

    @Test func badExpressionExitsTwoNamingTheColumn() async throws {
        let result = try await RunnelProcess.run(["match", "Type = 'x'"], stdin: Self.framed([Self.web]))
        #expect(result.status == 2)
        #expect(result.stderr.contains("column"))
    }

    @Test func unreadableFileExitsTwo() async throws {
        let result = try await RunnelProcess.run(["match", "TRUE", "/nonexistent/runnel-input"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/runnel-input"))
    }

    @Test func hekaOutputPassesFramesThrough() async throws {
        let input = Self.framed([Self.web, Self.worker])
        let result = try await RunnelProcess.run(["match", "TRUE", "--format", "heka"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout == input)
    }

    @Test func jsonInputToHekaOutputRoundTrips() async throws {
        let result = try await RunnelProcess.run(["match", "TRUE", "--format", "heka"], stdin: Self.jsonLines([Self.worker]))
        #expect(result.stdout == Self.framed([Self.worker]))
    }

    @Test func corruptionBetweenFramesIsReportedWithItsOffsetAndReadingContinues() async throws {
        var input = Self.framed([Self.web])
        let garbageOffset = input.count
        input.append(contentsOf: [0x00, 0x41, 0x42, 0x43, 0xff])
        input.append(Self.framed([Self.worker]))
        let result = try await RunnelProcess.run(["match", "TRUE", "--format", "count"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdoutText == "2\n")
        #expect(result.stderr.contains("offset \(garbageOffset)"))
    }

    @Test func badJSONLineIsReportedWithLineNumberAndTheRestIsRead() async throws {
        var input = Self.jsonLines([Self.web])
        input.append(Data("{\"Type\": \n".utf8))
        input.append(Self.jsonLines([Self.worker]))
        let result = try await RunnelProcess.run(["match", "TRUE", "--format", "count"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdoutText == "2\n")
        #expect(result.stderr.contains("<stdin>:2:"))
    }

    @Test func textFormatShowsFields() async throws {
        let result = try await RunnelProcess.run(["match", "TRUE"], stdin: Self.framed([Self.web]))
        #expect(result.status == 0)
        #expect(result.stdoutText.contains(":Payload: GET /index.html 200"))
        #expect(result.stdoutText.contains("name:\"MARATHON_APP_ID\" type:string value:\"/web/api\""))
    }

    @Test func invalidUTF8AndNulBytesSurviveTheHekaPath() async throws {
        var raw = Self.web
        raw.payload = ByteString([0x66, 0x00, 0xff, 0xfe, 0x0a, 0x67])
        let result = try await RunnelProcess.run(["match", "Payload =~ /^f/", "--format", "heka"], stdin: Self.framed([raw]))
        #expect(result.status == 0)
        #expect(result.stdout == Self.framed([raw]))
    }
}
