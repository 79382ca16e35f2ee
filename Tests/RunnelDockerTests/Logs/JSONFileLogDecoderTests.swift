import Foundation
import Testing
@testable import RunnelDocker
import RunnelTestSupport

/// The json-file fast path's reader, on records shaped exactly as Docker's json-file driver
/// writes them (`{"log":…,"stream":…,"time":…}`, `\u003c`-style escapes, 16 KiB parts).
@Suite struct JSONFileLogDecoderTests {
    static func record(_ log: String, stream: String = "stdout", time: String = "2026-11-25T10:00:00.000000001Z") -> String {
        "{\"log\":\(jsonString(log)),\"stream\":\"\(stream)\",\"time\":\"\(time)\"}\n"
    }

    /// Escapes as Go's encoder does for Docker: quotes, backslashes, control bytes, `<>&`.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&": out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func decode(_ text: String, chunk: Int = .max, tty: Bool = false, maxLineBytes: Int = 1 << 20,
                       resume: [DockerLogStream: DockerLogPosition] = [:]) -> ([DockerLogLine], [JSONFileLogError]) {
        var decoder = JSONFileLogDecoder(tty: tty, maxLineBytes: maxLineBytes, resumeAfter: resume)
        let bytes = Array(text.utf8)
        var lines: [DockerLogLine] = []
        var errors: [JSONFileLogError] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { decoder.consume($0) }
            lines += decoder.takeLines()
            errors += decoder.takeErrors()
            start = end
        }
        decoder.finish()
        return (lines + decoder.takeLines(), errors + decoder.takeErrors())
    }

    @Test func recordsBecomeLinesWithStreamTimeAndPosition() {
        let text = Self.record("GET /api 200\n", time: "2026-11-25T10:00:00.5Z")
            + Self.record("oops <b>&</b> \"quoted\" \\ tab\there\n", stream: "stderr", time: "2026-11-25T10:00:01.000000002Z")
            + Self.record("second at same time\n", stream: "stderr", time: "2026-11-25T10:00:01.000000002Z")
        let (lines, errors) = Self.decode(text)
        #expect(errors.isEmpty)
        #expect(lines.map { String(decoding: $0.content, as: UTF8.self) } == [
            "GET /api 200", "oops <b>&</b> \"quoted\" \\ tab\there", "second at same time"])
        #expect(lines.map(\.stream) == [.stdout, .stderr, .stderr])
        #expect(lines[0].timestamp == DockerTimestamp.parse(Array("2026-11-25T10:00:00.5Z".utf8)))
        #expect(lines[2].position == DockerLogPosition(timestamp: DockerTimestamp.parse(Array("2026-11-25T10:00:01.000000002Z".utf8))!, entries: 2))
    }

    @Test func everyChunkingGivesTheSameLines() {
        let text = (1...20).map { Self.record("line \($0) é ☃ 𝄞\n", time: "2026-11-25T10:00:\(String(format: "%02d", $0)).1Z") }.joined()
        let (whole, _) = Self.decode(text)
        #expect(whole.count == 20)
        for chunk in [1, 2, 3, 7, 61, 128] {
            let (lines, errors) = Self.decode(text, chunk: chunk)
            #expect(errors.isEmpty)
            #expect(lines == whole, "chunk \(chunk)")
        }
    }

    @Test func escapesIncludingSurrogatePairsAndNulAreDecoded() {
        let text = "{\"log\":\"a\\u0000b\\ud834\\udd1e\\u00e9\\/\\b\\f\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-25T10:00:00Z\"}\n"
        let (lines, errors) = Self.decode(text)
        #expect(errors.isEmpty)
        #expect(lines.first?.content == [0x61, 0x00, 0x62] + Array("𝄞é/".utf8) + [0x08, 0x0C])
    }

    @Test func sixteenKiBPartsAreJoinedAndLongLinesTruncated() {
        let part = String(repeating: "x", count: 16 * 1024)
        let text = Self.record(part) + Self.record(part) + Self.record("end\n") + Self.record("next\n")
        let (lines, _) = Self.decode(text)
        #expect(lines.map(\.content.count) == [32 * 1024 + 3, 4])
        #expect(lines[0].truncated == false)
        let (cut, _) = Self.decode(text, maxLineBytes: 20_000)
        #expect(cut.map(\.content.count) == [20_000, 4])
        #expect(cut[0].truncated)
    }

    @Test func attrsAndUnknownMembersAreSkipped() {
        let text = "{\"log\":\"hi\\n\",\"attrs\":{\"tag\":\"a,}\\\"b\",\"n\":[1,{\"x\":2}]},\"stream\":\"stderr\",\"extra\":12.5e3,\"time\":\"2026-11-25T10:00:00Z\"}\n"
        let (lines, errors) = Self.decode(text)
        #expect(errors.isEmpty)
        #expect(lines.map(\.stream) == [.stderr])
        #expect(lines.first?.content == Array("hi".utf8))
    }

    @Test func aDamagedRecordIsReportedWithItsOffsetAndTheOthersAreRead() {
        let first = Self.record("before\n")
        let damaged = "{\"log\":\"unterminated\n"
        let text = first + damaged + "not json at all\n" + "{\"log\":\"bad \\x escape\",\"time\":\"x\"}\n" + Self.record("after\n")
        let (lines, errors) = Self.decode(text)
        #expect(lines.map { String(decoding: $0.content, as: UTF8.self) } == ["before", "after"])
        #expect(errors.count == 3)
        #expect(errors.first?.offset ?? -1 >= Int64(first.utf8.count))
        #expect(errors.allSatisfy { $0.description.contains("at byte") })
    }

    @Test func anOverlongRecordIsSkippedWithBoundedMemory() {
        let huge = "{\"log\":\"" + String(repeating: "y", count: JSONFileLogDecoder.maxRecordBytes + 10) + "\"}\n"
        for chunk in [4096, Int.max] {
            let (lines, errors) = Self.decode(Self.record("a\n") + huge + Self.record("b\n"), chunk: chunk)
            #expect(lines.map(\.content) == [Array("a".utf8), Array("b".utf8)])
            #expect(errors.count == 1)
            #expect(errors.first?.reason.contains("longer than") == true)
        }
    }

    @Test func resumingSkipsWhatWasDelivered() {
        let text = Self.record("one\n", time: "2026-11-25T10:00:00Z") + Self.record("two\n", time: "2026-11-25T10:00:00Z")
            + Self.record("three\n", time: "2026-11-25T10:00:01Z")
        let at = DockerTimestamp.parse(Array("2026-11-25T10:00:00Z".utf8))!
        let (lines, _) = Self.decode(text, resume: [.stdout: DockerLogPosition(timestamp: at, entries: 1)])
        #expect(lines.map { String(decoding: $0.content, as: UTF8.self) } == ["two", "three"])
    }

    @Test func ttyLineEndsLoseTheirCarriageReturn() {
        let (lines, _) = Self.decode(Self.record("prompt\r\n"), tty: true)
        #expect(lines.first?.content == Array("prompt".utf8))
    }

    @Test func aFileEndingInsideARecordIsReportedAtRotation() {
        var decoder = JSONFileLogDecoder(tty: false, maxLineBytes: 1024)
        Array("{\"log\":\"cut".utf8).withUnsafeBytes { decoder.consume($0) }
        decoder.startFile(at: 0)
        Array(Self.record("fresh\n").utf8).withUnsafeBytes { decoder.consume($0) }
        #expect(decoder.takeErrors().map(\.offset) == [0])
        #expect(decoder.takeLines().map(\.content) == [Array("fresh".utf8)])
    }
}

/// Choosing where to start in a rotated json-file log.
@Suite struct JSONFileLogFilesTests {
    static func time(_ second: Int) -> String { String(format: "2026-11-25T10:%02d:%02d.000000001Z", second / 60, second % 60) }

    @Test func startsInTheNewestFileBeginningBeforeTheResumeTimeAndSeeksInsideIt() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.url.path
        let live = folder + "/c-json.log"
        // .2 holds seconds 0..<1000, .1 holds 1000..<2000, the live file 2000..<3000.
        for (path, range) in [(live + ".2", 0..<1000), (live + ".1", 1000..<2000), (live, 2000..<3000)] {
            let text = range.map { JSONFileLogDecoderTests.record("line \($0) " + String(repeating: "z", count: 200) + "\n", time: Self.time($0)) }.joined()
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let all = JSONFileLogFiles.plan(livePath: live, since: nil)
        #expect(all.files == [live + ".2", live + ".1", live])
        #expect(all.startOffset == 0)

        let resumeAt = DockerTimestamp.parse(Array(Self.time(1500).utf8))!
        let plan = JSONFileLogFiles.plan(livePath: live, since: resumeAt)
        #expect(plan.files == [live + ".1", live])
        #expect(plan.startOffset > 0)
        // Starting there still reaches every record from the margin before the resume time on.
        let file = try #require(TailedFileProbe.text(plan.files[0], from: plan.startOffset))
        let firstLine = try #require(file.split(separator: "\n").first)
        let firstSecond = try #require(Int(firstLine.split(separator: " ")[1]))
        #expect(firstSecond <= 1500 - 5)
        // The search narrows to one probe buffer (128 KiB, about 530 of these records).
        #expect(firstSecond > 1500 - 600, "the binary search should land near the resume time")
    }
}

enum TailedFileProbe {
    static func text(_ path: String, from offset: Int64) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data.dropFirst(Int(offset)), as: UTF8.self)
    }
}
