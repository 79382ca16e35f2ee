import Testing
@testable import RunnelCore

@Suite struct TokenSplitterTests {
    static func drain(_ splitter: inout TokenSplitter) -> [SplitRecord] {
        var records: [SplitRecord] = []
        while let record = splitter.next() { records.append(record) }
        return records
    }

    static func split(_ text: String, chunk: Int, limits: SplitterLimits = SplitterLimits(), count: Int = 1) -> [SplitRecord] {
        var splitter = TokenSplitter(count: count, limits: limits)
        let bytes = Array(text.utf8)
        var records: [SplitRecord] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            splitter.append(bytes[offset..<end])
            records += drain(&splitter)
            offset = end
        }
        if let tail = splitter.finish() { records.append(tail) }
        return records
    }

    @Test func linesWithOffsetsWhateverTheChunking() {
        let text = "alpha\nbeta\n\ngamma\n"
        for chunk in 1...text.utf8.count {
            let records = Self.split(text, chunk: chunk)
            #expect(records.map { String(decoding: $0.bytes, as: UTF8.self) } == ["alpha\n", "beta\n", "\n", "gamma\n"])
            #expect(records.map(\.endOffset) == [6, 11, 12, 18])
        }
    }

    @Test func incompleteFinalLineOnlyWhenAsked() {
        #expect(Self.split("a\nhalf", chunk: 3).count == 1)
        let delivered = Self.split("a\nhalf", chunk: 3, limits: SplitterLimits(deliverIncompleteFinal: true))
        #expect(delivered.last == SplitRecord(bytes: Array("half".utf8), endOffset: 6))
    }

    @Test func overlongRecordsAreDroppedOrTruncatedWithBoundedMemory() {
        let long = String(repeating: "x", count: 100)
        let text = "ok\n\(long)\nnext\n"
        for chunk in [1, 7, 64, 200] {
            var splitter = TokenSplitter(limits: SplitterLimits(maxRecordSize: 10))
            var records: [SplitRecord] = []
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunk)
                splitter.append(bytes[offset..<end])
                records += Self.drain(&splitter)
                offset = end
            }
            #expect(records.map { String(decoding: $0.bytes, as: UTF8.self) } == ["ok\n", "next\n"], "chunk \(chunk)")
            #expect(records.last?.endOffset == Int64(bytes.count))
            #expect(splitter.droppedOverlong == 1)

            let kept = Self.split(text, chunk: chunk, limits: SplitterLimits(maxRecordSize: 10, keepTruncated: true))
            #expect(kept.count == 3)
            #expect(kept[1].bytes == Array(repeating: UInt8(ascii: "x"), count: 10))
            #expect(kept[1].truncated)
            #expect(kept[1].endOffset == 3 + 101)
        }
    }

    @Test func countGroupsSeveralDelimiters() {
        let records = Self.split("1\n2\n3\n4\n5\n", chunk: 3, count: 2)
        #expect(records.map { String(decoding: $0.bytes, as: UTF8.self) } == ["1\n2\n", "3\n4\n"])
    }

    @Test func customDelimiterAndBinaryData() {
        var splitter = TokenSplitter(delimiter: 0x00)
        splitter.append([0xff, 0xfe, 0x00, 0x0a, 0x00][...])
        #expect(Self.drain(&splitter).map(\.bytes) == [[0xff, 0xfe, 0x00], [0x0a, 0x00]])
    }
}
