import Foundation
import Testing
@testable import RunnelCore

@Suite struct OrderedCommitsTests {
    @Test func commitsOnlyPastContiguousSettledBatches() {
        let commits = OrderedCommits<Int64>()
        let first = commits.begin(stream: "a.log", position: 100)
        let second = commits.begin(stream: "a.log", position: 200)
        let third = commits.begin(stream: "a.log", position: 300)
        let other = commits.begin(stream: "b.log", position: 7)
        #expect(commits.settle(second) == nil)
        #expect(commits.settle(third) == nil)
        #expect(commits.settle(first) == 300)
        #expect(commits.settle(other) == 7)
        #expect(commits.inFlight == ["a.log": 0, "b.log": 0])
        #expect(commits.settle(first) == nil)  // settling twice changes nothing
    }
}

@Suite struct CheckpointStoreTests {
    @Test func savesAndLoadsPositionsWithAwkwardKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-ckpt-\(UUID().uuidString)").path
        try CheckpointStore.makeDirectory(folder + "/nested")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = CheckpointStore(directory: folder + "/nested", inputName: "logs/in put")
        #expect(store.load().isEmpty)
        let positions: [String: [Int64]] = ["/var/log/a b.log": [1234, 99], "ünïcode%\n": [-1], "empty": []]
        try store.save(positions)
        #expect(store.load() == positions)
        try store.save(["/var/log/a b.log": [2000, 99]])
        #expect(store.load() == ["/var/log/a b.log": [2000, 99]])
        #expect(!FileManager.default.fileExists(atPath: store.path + ".tmp"))
    }

    @Test func corruptLinesAreSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runnel-ckpt-\(UUID().uuidString)").path
        try CheckpointStore.makeDirectory(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = CheckpointStore(directory: folder, inputName: "in")
        try Data("good 1 2\nbad x\n%ZZ 3\n\n".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(store.load() == ["good": [1, 2]])
    }
}
