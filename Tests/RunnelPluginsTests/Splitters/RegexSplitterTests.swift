import RunnelCore
@testable import RunnelPlugins
import Testing

@Suite struct RegexSplitterTests {
    static func splitter(_ pattern: String, atEnd: Bool = true, limits: SplitterLimits = SplitterLimits(),
                         startOffset: Int64 = 0) throws -> RegexSplitter {
        RegexSplitter(delimiter: try RegexPattern(pattern), delimiterAtEnd: atEnd, limits: limits, startOffset: startOffset)
    }

    /// Feeds `text` in chunks of `chunk` bytes, collecting records (and the final one).
    static func split(_ splitter: inout some Splitter, _ bytes: [UInt8], chunk: Int) -> [SplitRecord] {
        var records: [SplitRecord] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            splitter.append(bytes[offset..<end])
            while let record = splitter.next() { records.append(record) }
            offset = end
        }
        if let tail = splitter.finish() { records.append(tail) }
        return records
    }

    static func contents(_ records: [SplitRecord]) -> [String] {
        records.map { String(decoding: $0.content, as: UTF8.self) }
    }

    @Test func withoutAGroupTheMatchSeparatesRecords() throws {
        let text = Array("alpha\r\nbeta\n\ngamma\n".utf8)
        for chunk in 1...text.count {
            var splitter = try Self.splitter("\n")
            let records = Self.split(&splitter, text, chunk: chunk)
            #expect(Self.contents(records) == ["alpha", "beta", "", "gamma"], "chunk \(chunk)")
            #expect(records.map(\.endOffset) == [7, 12, 13, 19])
            #expect(records.map(\.delimiterLength) == [1, 1, 1, 1])
        }
        var multi = try Self.splitter("-{3,}\n?")
        #expect(Self.contents(Self.split(&multi, Array("a---b-----\nc---".utf8), chunk: 4)) == ["a", "b", "c"])
    }

    /// Heka's documented example: MySQL slow query log entries start with "# User@Host:".
    @Test func delimiterStartingTheNextRecord() throws {
        let log = Array("""
            /usr/sbin/mysqld, Version: 5.5 started with:
            # User@Host: root[root] @ localhost []
            # Query_time: 2.5
            SELECT SLEEP(2.5);
            # User@Host: app[app] @ 10.0.0.2 []
            # Query_time: 0.1
            SELECT 1;

            """.utf8)
        for chunk in [1, 5, 64, log.count] {
            var splitter = try Self.splitter("\n(# User@Host:)", atEnd: false,
                                             limits: SplitterLimits(deliverIncompleteFinal: true))
            let records = Self.split(&splitter, log, chunk: chunk)
            #expect(Self.contents(records) == [
                "/usr/sbin/mysqld, Version: 5.5 started with:",
                "# User@Host: root[root] @ localhost []\n# Query_time: 2.5\nSELECT SLEEP(2.5);",
                "# User@Host: app[app] @ 10.0.0.2 []\n# Query_time: 0.1\nSELECT 1;\n",
            ], "chunk \(chunk)")
            #expect(records[0].delimiterLength == 1, "the newline before the capture belongs to no record")
            #expect(records[0].endOffset == 45, "the checkpoint is where the next record starts")
        }
        var restarted = try Self.splitter("(# User@Host:)", atEnd: false, startOffset: 45)
        let tail = Array(log[45...])
        let again = Self.split(&restarted, tail, chunk: 7)
        #expect(again.first.map { String(decoding: $0.content, as: UTF8.self) }?.hasPrefix("# User@Host: root") == true,
                "a stream resumed at a captured delimiter starts with its record, not an empty one")
        #expect(again.first?.endOffset == Int64(45 + 76))
    }

    @Test func captureAtTheEndKeepsTheCapturedText() throws {
        var splitter = try Self.splitter(#"(\})\s*"#)
        let records = Self.split(&splitter, Array(#"{"a":1}  {"b":{"c":2}}"#.utf8), chunk: 3)
        #expect(Self.contents(records) == [#"{"a":1}"#, #"{"b":{"c":2}"#, "}"])
        #expect(records[0].delimiterLength == 2)
    }

    @Test func overlongRecordsAreDroppedOrTruncatedWithBoundedMemory() throws {
        let text = Array("ok\n\(String(repeating: "x", count: 100_000))\nnext\n".utf8)
        for chunk in [1, 7, 4096, 200_000] {
            var dropping = try Self.splitter("\n", limits: SplitterLimits(maxRecordSize: 10))
            let records = Self.split(&dropping, text, chunk: chunk)
            #expect(Self.contents(records) == ["ok", "next"], "chunk \(chunk)")
            #expect(records.last?.endOffset == Int64(text.count))
            #expect(dropping.droppedOverlong == 1)
            #expect(dropping.takeDiscarded() == ["record_too_long": 1])
            #expect(dropping.takeDiscarded() == [:], "reported once")

            var keeping = try Self.splitter("\n", limits: SplitterLimits(maxRecordSize: 10, keepTruncated: true))
            let kept = Self.split(&keeping, text, chunk: chunk)
            #expect(kept.count == 3)
            #expect(kept[1].bytes == Array(repeating: UInt8(ascii: "x"), count: 10))
            #expect(kept[1].truncated)
            #expect(kept[1].endOffset == 3 + 100_001)
        }
    }

    @Test func theBufferStaysBoundedWithoutAnyDelimiter() throws {
        var splitter = try Self.splitter("\n", limits: SplitterLimits(maxRecordSize: 1024))
        let chunk = [UInt8](repeating: 0x61, count: 10_000)
        for _ in 0..<100 {
            splitter.append(chunk[...])
            #expect(splitter.next() == nil)
            #expect(splitter.bufferedByteCount <= 64 * 1024 + chunk.count)
        }
        splitter.append(Array("\nafter\n".utf8)[...])
        #expect(splitter.next().map { Array($0.content) } == Array("after".utf8))
        #expect(splitter.droppedOverlong == 1)
    }

    @Test func incompleteFinalRecordOnlyWhenAsked() throws {
        var plain = try Self.splitter("\n")
        #expect(Self.contents(Self.split(&plain, Array("a\nhalf".utf8), chunk: 3)) == ["a"])
        var delivering = try Self.splitter("\n", limits: SplitterLimits(deliverIncompleteFinal: true))
        let records = Self.split(&delivering, Array("a\nhalf".utf8), chunk: 3)
        #expect(records.last == SplitRecord(bytes: Array("half".utf8), endOffset: 6))
    }

    @Test func configuredThroughItsRegistration() throws {
        let factory = try DecoderFixture.splitter("""
            [splitter]
            type = "RegexSplitter"
            delimiter = '\\n(# User@Host:)'
            delimiter_eol = false
            keep_truncated = true
            """)
        var splitter = factory(0)
        splitter.append(Array("a\n# User@Host: b".utf8)[...])
        #expect(splitter.next().map { Array($0.content) } == Array("a".utf8))
    }

    @Test func optionErrorsAreReportedAtBuildTime() {
        func errors(_ delimiter: String) -> [String] {
            DecoderFixture.build("[splitter]\ntype = \"RegexSplitter\"\ndelimiter = '\(delimiter)'\n[input]\ntype = \"StdinInput\"\nsplitter = \"splitter\"\n").errors
        }
        #expect(errors("(a)(b)").first?.contains("at most one capture group") == true)
        #expect(errors("(a").first?.contains("invalid regular expression") == true)
        #expect(errors("x*").first?.contains("matches the empty string") == true)
        #expect(errors("\\n").isEmpty)
    }
}
