import Testing
@testable import RunnelCore

@Suite struct HekaStreamReaderTests {
    private func frames(_ count: Int) -> [[UInt8]] {
        (0..<count).map { index in
            var message = SampleMessages.dockerLog
            message.timestamp = Int64(index)
            message.payload = ByteString(String(repeating: "x", count: index * 7))
            return HekaFraming.frame(message)
        }
    }

    @Test func framesComeOutWhateverTheChunking() throws {
        let parts = frames(12)
        let stream = parts.flatMap { $0 }
        for chunkSizes in [[1], [2, 3], [17], [1000], [stream.count]] {
            let (read, corruptions) = readStream(stream, chunkSizes: chunkSizes)
            #expect(corruptions.isEmpty)
            #expect(read.map(\.messageBytes) == parts.map { Array($0[(Int($0[1]) + 3)...]) })
            #expect(read.map(\.frameLength) == parts.map(\.count))
            #expect(try read.map { try $0.decodeMessage().timestamp } == Array(0..<12))
        }
    }

    @Test func startOffsetShiftsReportedOffsets() {
        let frame = frames(1)[0]
        let (read, corruptions) = readStream([0x41, 0x42] + frame, reader: HekaStreamReader(startOffset: 1000))
        #expect(read.map(\.offset) == [1002])
        #expect(corruptions == [HekaStreamCorruption(offset: 1000, skippedBytes: 2, reason: "bytes outside a frame", kind: .garbage)])
    }

    @Test func oversizedLengthIsReportedAndTheNextFrameRead() {
        // A valid header claiming 100 MB, a few bytes, then a good frame.
        var oversized: [UInt8] = [0x1e, 0x05, 0x08, 0x80, 0xc2, 0xd7, 0x2f, 0x1f]
        oversized += Array("body".utf8)
        let good = frames(1)[0]
        var reader = HekaStreamReader()
        reader.append(oversized + good)
        guard case .corruption(let report) = reader.next() else {
            Issue.record("expected a corruption report first")
            return
        }
        #expect(report.offset == 0 && report.skippedBytes == oversized.count && report.kind == .oversizedMessage)
        #expect(report.reason == "header claims a message of 100000000 bytes, above max_message_size 65536")
        guard case .frame(let frame) = reader.next() else {
            Issue.record("expected the good frame")
            return
        }
        #expect(frame.offset == Int64(oversized.count))
        #expect(reader.next().map { _ in true } == nil)
        #expect(reader.finish() == nil)
    }

    @Test func bufferStaysBoundedWhileWaitingAndScanning() {
        var reader = HekaStreamReader(maxMessageSize: 1024)
        var generator = SeededGenerator(seed: 9)
        var peak = 0
        for _ in 0..<400 {
            // Garbage without record separators, fed in 4 KiB chunks: nothing may accumulate.
            reader.append(generator.bytes(4096).map { $0 == 0x1e ? 0 : $0 })
            while reader.next() != nil {}
            peak = max(peak, reader.bufferedByteCount)
        }
        #expect(peak <= 4096 + 64 * 1024)
        let report = reader.finish()
        #expect(report?.skippedBytes ?? 0 > 0)
        #expect(reader.offset == 400 * 4096)
    }

    @Test func longGarbageRunsAreReportedBeforeTheyEnd() {
        var reader = HekaStreamReader()
        var reports: [HekaStreamCorruption] = []
        for _ in 0..<300 {
            reader.append([UInt8](repeating: 0x41, count: 4096))
            while case .corruption(let report)? = reader.next() { reports.append(report) }
        }
        #expect(reports.first?.skippedBytes ?? 0 >= HekaStreamReader.longSkipReportLength)
        #expect(reports.first?.offset == 0)
        if let last = reader.finish() { reports.append(last) }
        #expect(reports.reduce(0) { $0 + $1.skippedBytes } == 300 * 4096)
    }

    @Test func truncationAtEveryBytePositionIsReportedByFinish() {
        let first = frames(1)[0]
        let second = HekaFraming.frame(
            SampleMessages.everything, signer: MessageSigner(name: "s", key: [1, 2], version: 2, hash: .sha1))
        for cut in 0...second.count {
            let stream = first + second[..<cut]
            let (read, corruptions) = readStream(stream, chunkSizes: [cut % 13 + 1])
            if cut == second.count {
                #expect(read.count == 2 && corruptions.isEmpty)
                continue
            }
            #expect(read.map(\.offset) == [0], "cut \(cut)")
            if cut == 0 {
                #expect(corruptions.isEmpty)
            } else {
                #expect(corruptions.count == 1, "cut \(cut)")
                #expect(corruptions.first?.offset == Int64(first.count), "cut \(cut)")
                #expect(corruptions.first?.skippedBytes == cut, "cut \(cut)")
                #expect(corruptions.first?.kind == .truncatedFrame, "cut \(cut)")
            }
        }
    }

    @Test func garbageBetweenFramesYieldsExactlyTheGoodFrames() throws {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<40 {
            var stream: [UInt8] = []
            var expectedOffsets: [Int64] = []
            var expectedGarbage: [[Int64]] = []
            var expectedMessages: [Message] = []
            for index in 0..<8 {
                let garbageLength = Int.random(in: 0...40, using: &generator)
                if garbageLength > 0 {
                    var garbage = generator.bytes(garbageLength)
                    // Make record separators likely, with plausible header lengths after them.
                    for position in garbage.indices where Int.random(in: 0..<6, using: &generator) == 0 {
                        garbage[position] = 0x1e
                    }
                    expectedGarbage.append([Int64(stream.count), Int64(garbageLength)])
                    stream += garbage
                }
                var message = SampleMessages.dockerLog
                message.timestamp = Int64(round * 100 + index)
                expectedOffsets.append(Int64(stream.count))
                expectedMessages.append(message)
                stream += HekaFraming.frame(message)
            }
            let chunk = Int.random(in: 1...300, using: &generator)
            let (read, corruptions) = readStream(stream, chunkSizes: [chunk])
            #expect(read.map(\.offset) == expectedOffsets, "round \(round)")
            #expect(try read.map { try $0.decodeMessage() } == expectedMessages, "round \(round)")
            #expect(corruptions.map { [$0.offset, Int64($0.skippedBytes)] } == expectedGarbage, "round \(round)")
        }
    }

    @Test func garbageThenTruncatedHeaderAtTheEndIsOneReport() {
        let frame = frames(1)[0]
        let (read, corruptions) = readStream(frame + [0x41, 0x42, 0x1e, 0x40, 0x08])
        #expect(read.count == 1)
        #expect(corruptions.count == 1)
        #expect(corruptions.first?.offset == Int64(frame.count))
        #expect(corruptions.first?.skippedBytes == 5)
        #expect(corruptions.first?.reason.hasSuffix("then stream ends inside a frame header at offset \(frame.count + 2)") == true)
    }

    @Test func headersThatDoNotDecodeAreSkipped() {
        let good = frames(1)[0]
        let badHeaders: [[UInt8]] = [
            [0x1e, 0x00, 0x1f],  // too short for message_length
            [0x1e, 0x02, 0x18, 0x01, 0x1f],  // no message_length
            [0x1e, 0x02, 0x0a, 0x01, 0x1f],  // message_length with the wrong wire type
            [0x1e, 0x03, 0x08, 0x80, 0x80, 0x1f],  // truncated varint
        ]
        for bad in badHeaders {
            let (read, corruptions) = readStream(bad + good)
            #expect(read.map(\.offset) == [Int64(bad.count)], "\(hexString(bad))")
            #expect(corruptions.map(\.skippedBytes) == [bad.count], "\(hexString(bad))")
            #expect(corruptions.first?.kind == .invalidHeader, "\(hexString(bad))")
        }
    }

    @Test func emptyMessageFramesAreFrames() throws {
        let stream: [UInt8] = [0x1e, 0x02, 0x08, 0x00, 0x1f]
        let (read, corruptions) = readStream(stream)
        #expect(corruptions.isEmpty)
        #expect(try read.first?.decodeMessage() == Message())
    }
}
