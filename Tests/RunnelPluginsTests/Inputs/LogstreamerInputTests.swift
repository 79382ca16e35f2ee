import Foundation
import RunnelCore
import Testing
@testable import RunnelPlugins

/// LogstreamerInput over real files: appends, rotation by rename, copytruncate, checkpoints.
@Suite struct LogstreamerInputTests {
    static func options(_ folder: String) -> LogstreamerInput.Options {
        var options = LogstreamerInput.Options(logDirectory: folder + "/logs") { $0.hasSuffix(".log") }
        options.rescanInterval = .milliseconds(50)
        options.rotationGrace = .milliseconds(100)
        return options
    }

    static func append(_ text: String, to path: String) throws {
        let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)!
        }()
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func readsNewFilesFromTheStartAndFollowsAppends() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        try FileManager.default.createDirectory(atPath: harness.folder + "/logs/sub", withIntermediateDirectories: true)
        try Self.append("one\ntwo\n", to: harness.folder + "/logs/app.log")
        try Self.append("x\n", to: harness.folder + "/logs/sub/other.txt")  // not matched
        let context = harness.inputContext()
        let task = Task { try await LogstreamerInput(options: Self.options(harness.folder)).run(context) }
        defer { task.cancel() }
        var lines = await harness.collect(2)
        try Self.append("three\nhalf", to: harness.folder + "/logs/app.log")
        lines += await harness.collect(1)
        #expect(lines.map { $0.payload?.string } == ["one", "two", "three"])
        #expect(lines.allSatisfy { $0.type == "logfile" && $0.logger == "app.log" && $0.hostname == "test-host" })
        // The half line is not delivered until its newline arrives.
        try Self.append("-done\n", to: harness.folder + "/logs/app.log")
        #expect(await harness.collect(1).map { $0.payload?.string } == ["half-done"])
    }

    @Test func checkpointAdvancesOnlyPastConfirmedBatches() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        try FileManager.default.createDirectory(atPath: harness.folder + "/logs", withIntermediateDirectories: true)
        try Self.append("a\nb\n", to: harness.folder + "/logs/app.log")
        let checkpoints = StreamCheckpoints(store: CheckpointStore(directory: harness.folder, inputName: "in"))
        let context = harness.inputContext(checkpoints: checkpoints)
        let task = Task { try await LogstreamerInput(options: Self.options(harness.folder)).run(context) }
        defer { task.cancel() }
        let batch = try #require(await harness.queue.pop(timeout: .seconds(10)))
        #expect(batch.messages.count == 2)
        #expect(checkpoints.committed["app.log"] == nil)
        #expect(context.ledger.snapshot.inFlight == 2)
        batch.confirm()
        #expect(checkpoints.committed["app.log"]?.first == 4)  // just past "a\nb\n"
        #expect(context.ledger.snapshot == InputLedger.Snapshot(read: 2, delivered: 2, unmatched: 0, dropped: [:]))
    }

    @Test func followsRenameRotationWithoutLosingTheOldFilesTail() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        let logs = harness.folder + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try Self.append("1\n2\n", to: logs + "/app.log")
        var options = Self.options(harness.folder)
        options.fileMatch = { $0 == "app.log" }
        let context = harness.inputContext()
        let task = Task { [options] in try await LogstreamerInput(options: options).run(context) }
        defer { task.cancel() }
        var lines = await harness.collect(2)
        // logrotate: rename, the writer still appends to the old file briefly, then a new file.
        try FileManager.default.moveItem(atPath: logs + "/app.log", toPath: logs + "/app.log.1")
        try Self.append("3\n", to: logs + "/app.log.1")
        try Self.append("4\n5\n", to: logs + "/app.log")
        lines += await harness.collect(3)
        #expect(lines.map { $0.payload?.string } == ["1", "2", "3", "4", "5"])
    }

    @Test func copytruncateIsReadAgainFromTheStart() async throws {
        let harness = try PipelineHarness()
        defer { harness.remove() }
        let logs = harness.folder + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        try Self.append("old line one\nold line two\n", to: logs + "/app.log")
        let context = harness.inputContext()
        let task = Task { try await LogstreamerInput(options: Self.options(harness.folder)).run(context) }
        defer { task.cancel() }
        #expect(await harness.collect(2).count == 2)
        try Data().write(to: URL(fileURLWithPath: logs + "/app.log"))  // truncate in place
        try Self.append("new\n", to: logs + "/app.log")
        #expect(await harness.collect(1).map { $0.payload?.string } == ["new"])
    }

    @Test func hostileBytesAreCarriedAndOverlongLinesFlagged() async throws {
        // A 10 MB line takes a while through a debug build on a loaded machine: a generous window.
        let window = Duration.seconds(60)
        let harness = try PipelineHarness()
        defer { harness.remove() }
        let logs = harness.folder + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        var bytes: [UInt8] = [0x66, 0x00, 0xff, 0xfe, 0x0a]                      // NUL and invalid UTF-8
        bytes += [UInt8](repeating: 0x41, count: 10 * 1024 * 1024) + [0x0a]     // a 10 MB line
        bytes += Array("after\n".utf8)
        FileManager.default.createFile(atPath: logs + "/app.log", contents: Data(bytes))
        let limits = SplitterLimits(maxRecordSize: 64 * 1024, keepTruncated: true)
        let context = harness.inputContext(splitter: { TokenSplitter(limits: limits, startOffset: $0) })
        let task = Task { try await LogstreamerInput(options: Self.options(harness.folder)).run(context) }
        defer { task.cancel() }
        let lines = await harness.collect(3, timeout: window)
        #expect(lines.count == 3)
        #expect(lines.first?.payload?.bytes == [0x66, 0x00, 0xff, 0xfe])
        #expect(lines.dropFirst().first?.payload?.count == 64 * 1024)
        #expect(lines.dropFirst().first?.field(named: "truncated")?.values == .bool([true]))
        #expect(lines.last?.payload == "after")
    }
}
