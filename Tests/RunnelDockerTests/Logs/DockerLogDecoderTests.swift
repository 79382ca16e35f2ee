import Testing
@testable import RunnelDocker

@Suite struct DockerLogDecoderTests {
    typealias Bytes = DockerLogBytes

    static func decode(_ body: [UInt8], framing: DockerLogDecoder.Framing = .multiplexed, maxLineBytes: Int = 64 * 1024,
                       resume: [DockerLogStream: DockerLogPosition] = [:], pieceSize: Int? = nil) throws -> [DockerLogLine] {
        var decoder = DockerLogDecoder(framing: framing, maxLineBytes: maxLineBytes, resumeAfter: resume)
        var lines: [DockerLogLine] = []
        if let pieceSize {
            var start = 0
            while start < body.count {
                try decoder.consume(Array(body[start..<min(body.count, start + pieceSize)]))
                lines += decoder.takeLines()
                start += pieceSize
            }
        } else {
            try decoder.consume(body)
        }
        try decoder.finish()
        return lines + decoder.takeLines()
    }

    static func text(_ line: DockerLogLine) -> String { String(decoding: line.content, as: UTF8.self) }

    @Test func multiplexedFixture() throws {
        let lines = try Self.decode(try DockerFixtures.bytes("docker_logs_multiplexed_timestamps.bin"))
        #expect(lines.map(Self.text) == ["out 24", "err 24", "out 25", "err 25", "err 26", "out 26"])
        #expect(lines.map(\.stream) == [.stdout, .stderr, .stdout, .stderr, .stderr, .stdout])
        #expect(lines[0].timestamp == 1_795_637_038_926_614_366)
        #expect(lines[0].position == DockerLogPosition(timestamp: 1_795_637_038_926_614_366, entries: 1))
        #expect(lines.allSatisfy { !$0.truncated })
    }

    @Test func ttyFixtureIsAllStdoutWithoutCarriageReturns() throws {
        let lines = try Self.decode(try DockerFixtures.bytes("docker_logs_tty_timestamps.bin"), framing: .tty)
        #expect(lines.map(Self.text) == ["tty 21", "tty 22", "tty 23", "tty 24"])
        #expect(lines.allSatisfy { $0.stream == .stdout })
        #expect(lines[3].timestamp == 1_795_637_039_405_001_353)
    }

    /// However the body is cut into chunks, the lines are the same.
    @Test(arguments: [DockerLogDecoder.Framing.multiplexed, .tty])
    func everySplitPointGivesTheSameLines(_ framing: DockerLogDecoder.Framing) throws {
        let body = try DockerFixtures.bytes(framing == .tty ? "docker_logs_tty_timestamps.bin" : "docker_logs_multiplexed_timestamps.bin")
        let whole = try Self.decode(body, framing: framing)
        for split in 0...body.count {
            var decoder = DockerLogDecoder(framing: framing, maxLineBytes: 1024)
            try decoder.consume(Array(body[..<split]))
            try decoder.consume(Array(body[split...]))
            try decoder.finish()
            #expect(decoder.takeLines() == whole, "split at \(split)")
        }
        #expect(try Self.decode(body, framing: framing, pieceSize: 1) == whole)
    }

    /// A body cut off anywhere decodes what it holds; cut inside a frame it reports where.
    @Test func truncatedAtEveryPosition() throws {
        let body = try DockerFixtures.bytes("docker_logs_multiplexed_timestamps.bin")
        let whole = try Self.decode(body)
        for end in 0..<body.count {
            var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 1024)
            try decoder.consume(Array(body[..<end]))
            let complete = decoder.takeLines()
            #expect(complete == Array(whole.prefix(complete.count)), "cut at \(end)")
            do {
                try decoder.finish()
                // Ends between frames: every line so far is whole.
                #expect(complete.count + decoder.takeLines().count <= whole.count)
            } catch {
                #expect(error.offset == Int64(end), "cut at \(end): \(error)")
            }
        }
    }

    @Test func unknownStreamAndNonZeroPaddingAreErrorsWithTheirOffset() throws {
        let good = Bytes.frame(1, "\(Bytes.stamp) ok\n")
        var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 100)
        #expect(throws: DockerLogFormatError(offset: Int64(good.count), reason: "unknown stream 7 in a frame header")) {
            try decoder.consume(good + [7, 0, 0, 0, 0, 0, 0, 1, 0x41])
        }
        #expect(decoder.takeLines().map(Self.text) == ["ok"])
        var padded = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 100)
        #expect(throws: DockerLogFormatError(offset: 1, reason: "frame header bytes 1-3 must be zero")) {
            try padded.consume([1, 0, 9, 0, 0, 0, 0, 1, 0x41])
        }
    }

    /// Random bytes never crash the decoder nor make it keep more than the line limit.
    @Test func garbageIsRejectedOrBounded() {
        var generator = SystemRandomNumberGenerator()
        for framing in [DockerLogDecoder.Framing.multiplexed, .tty] {
            for round in 0..<300 {
                var body = (0..<Int.random(in: 0...4096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 3 == 0 && body.count > 8 { body[0] = 1; body[1] = 0; body[2] = 0; body[3] = 0 }
                var decoder = DockerLogDecoder(framing: framing, maxLineBytes: 256)
                var lines: [DockerLogLine] = []
                do {
                    try decoder.consume(body)
                    lines += decoder.takeLines()
                    try decoder.finish()
                } catch {
                    #expect(error.offset >= 0 && error.offset <= Int64(body.count))
                }
                lines += decoder.takeLines()
                #expect(lines.allSatisfy { $0.content.count <= 256 })
            }
        }
    }

    @Test func invalidUTF8AndNulBytesAreCarriedThrough() throws {
        let payload: [UInt8] = Array("\(Bytes.stamp) ".utf8) + [0x00, 0xFF, 0xC3, 0x28, 0x00, 0x41] + [0x0A]
        let lines = try Self.decode(Bytes.frame(2, payload))
        #expect(lines.count == 1)
        #expect(lines[0].content == [0x00, 0xFF, 0xC3, 0x28, 0x00, 0x41])
        #expect(lines[0].stream == .stderr)
    }

    /// Docker cut a 40,000-byte line into 16 KiB parts sharing one timestamp; a stderr line
    /// came between the parts. The stdout line is whole again, the stderr line separate.
    @Test func partsOfALongLineAreJoinedPerStream() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 40_000)
        let prefix = Array("\(Bytes.stamp) ".utf8)
        var body = Bytes.frame(1, prefix + long[0..<16_384])
        body += Bytes.frame(2, "2026-11-25T20:03:58.926700000Z between\n")
        body += Bytes.frame(1, prefix + long[16_384..<32_768])
        body += Bytes.frame(1, prefix + long[32_768...] + [0x0A])
        body += Bytes.frame(1, "2026-11-25T20:03:59.000000000Z next\n")
        let lines = try Self.decode(body)
        #expect(lines.map(\.stream) == [.stderr, .stdout, .stdout])
        #expect(lines[1].content == long)
        #expect(lines[1].position == DockerLogPosition(timestamp: 1_795_637_038_926_614_366, entries: 3))
        #expect(lines[1].timestamp == 1_795_637_038_926_614_366)
        #expect(Self.text(lines[0]) == "between")
        #expect(Self.text(lines[2]) == "next")
        #expect(try Self.decode(body, pieceSize: 1000) == lines)
    }

    /// A 1 MB line with a 64 KiB limit: cut, flagged, never split inside a UTF-8 sequence, and the
    /// line after it is intact.
    @Test func oneMegabyteLineIsTruncatedOnAUTF8Boundary() throws {
        let limit = 64 * 1024
        var content = [UInt8](repeating: UInt8(ascii: "x"), count: limit - 1)
        while content.count < 1_000_000 { content += Array("é".utf8) }  // "é" straddles the limit
        let prefix = Array("\(Bytes.stamp) ".utf8)
        var body: [UInt8] = []
        var start = 0
        while start < content.count {
            let end = min(content.count, start + 16_384)
            body += Bytes.frame(1, prefix + content[start..<end] + (end == content.count ? [0x0A] : []))
            start = end
        }
        body += Bytes.frame(1, "2026-11-25T20:04:00Z after\n")
        let lines = try Self.decode(body, maxLineBytes: limit, pieceSize: 65_536)
        #expect(lines.count == 2)
        #expect(lines[0].truncated)
        #expect(lines[0].content.count == limit - 1)
        #expect(lines[0].content.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(lines[0].position.entries == (content.count + 16_383) / 16_384)
        #expect(Self.text(lines[1]) == "after")
        #expect(!lines[1].truncated)
    }

    @Test func utf8PrefixNeverEndsInsideASequence() {
        let euro = Array("€".utf8)  // 3 bytes
        let bytes: [UInt8] = [0x41] + euro + [0x42]
        #expect(DockerLineAssembler.utf8Prefix(bytes, maxBytes: 2) == [0x41])
        #expect(DockerLineAssembler.utf8Prefix(bytes, maxBytes: 3) == [0x41])
        #expect(DockerLineAssembler.utf8Prefix(bytes, maxBytes: 4) == [0x41] + euro)
        // Invalid bytes are cut where the limit says.
        #expect(DockerLineAssembler.utf8Prefix([0x80, 0x80, 0x80, 0x80, 0x80], maxBytes: 3) == [0x80, 0x80, 0x80])
    }

    /// TTY output has no frames: a 16 KiB part is recognised by the same timestamp following it.
    @Test func ttyPartsAreJoinedAndLookalikesKept() throws {
        let prefix = "\(Bytes.stamp) "
        let long = String(repeating: "b", count: 20_000)
        var body = Array((prefix + long.prefix(16_384) + prefix + long.dropFirst(16_384) + "\r\n").utf8)
        // Exactly 16 KiB followed by a different timestamp: content, not a part.
        let other = "2026-11-25T20:03:59.000000000Z "
        body += Array((prefix + String(repeating: "c", count: 16_384) + other + "tail\r\n").utf8)
        body += Array((prefix + String(repeating: "d", count: 16_384) + "\r\n").utf8)
        let lines = try Self.decode(body, framing: .tty, pieceSize: 777)
        #expect(lines.count == 3)
        #expect(Self.text(lines[0]) == long)
        #expect(lines[0].position.entries == 2)
        #expect(Self.text(lines[1]) == String(repeating: "c", count: 16_384) + other + "tail")
        #expect(Self.text(lines[2]) == String(repeating: "d", count: 16_384))
    }

    /// Resuming: entries up to the checkpoint are skipped per stream, counted by timestamp.
    @Test func resumeSkipsDeliveredEntries() throws {
        let t1 = "2026-11-25T20:03:58.000000001Z"
        let t2 = "2026-11-25T20:03:58.000000002Z"
        let body = Bytes.frame(1, "\(t1) a\n") + Bytes.frame(1, "\(t2) b\n") + Bytes.frame(2, "\(t2) e1\n")
            + Bytes.frame(1, "\(t2) c\n") + Bytes.frame(2, "\(t2) e2\n") + Bytes.frame(1, "\(t2) d\n")
        let stamp2: Int64 = 1_795_637_038_000_000_002
        let resume: [DockerLogStream: DockerLogPosition] = [
            .stdout: DockerLogPosition(timestamp: stamp2, entries: 2),
            .stderr: DockerLogPosition(timestamp: stamp2, entries: 1),
        ]
        var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 100, resumeAfter: resume)
        try decoder.consume(body)
        try decoder.finish()
        let lines = decoder.takeLines()
        #expect(lines.map(Self.text) == ["e2", "d"])
        #expect(lines[1].position == DockerLogPosition(timestamp: stamp2, entries: 3))
        #expect(decoder.skippedEntries == 4)
        #expect(decoder.cursor(of: .stderr) == DockerLogPosition(timestamp: stamp2, entries: 2))
    }

    @Test func daemonErrorsComeOnTheirOwn() throws {
        var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 100)
        try decoder.consume(Bytes.frame(3, "log file is gone") + Bytes.frame(1, "\(Bytes.stamp) x\n"))
        #expect(decoder.takeSystemErrors() == ["log file is gone"])
        #expect(decoder.takeLines().map(Self.text) == ["x"])
    }

    @Test func missingTimestampKeepsTheBytes() throws {
        let lines = try Self.decode(Bytes.frame(1, "no stamp here\n") + Bytes.frame(1, "\(Bytes.stamp) later\n")
                                    + Bytes.frame(1, "x\n"))
        #expect(lines.map(Self.text) == ["no stamp here", "later", "x"])
        #expect(lines[0].timestamp == nil)
        #expect(lines[1].timestamp != nil)
        #expect(lines[2].timestamp == nil)
        #expect(lines[2].position == DockerLogPosition(timestamp: lines[1].timestamp!, entries: 2))
    }

    @Test func lastLineWithoutNewlineIsDeliveredAtTheEnd() throws {
        var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 100)
        try decoder.consume(Bytes.frame(1, "\(Bytes.stamp) done\n") + Bytes.frame(1, "\(Bytes.stamp) nonl"))
        #expect(decoder.takeLines().map(Self.text) == ["done"])
        try decoder.finish()
        #expect(decoder.takeLines().map(Self.text) == ["nonl"])
    }

    @Test func numberedBodyInManyChunkSizes() throws {
        let body = Bytes.numbered(500)
        for size in [1, 7, 64, 4096, body.count] {
            let lines = try Self.decode(body, pieceSize: size)
            #expect(lines.map(Self.text) == (0..<500).map { "line \($0)" })
        }
    }
}
