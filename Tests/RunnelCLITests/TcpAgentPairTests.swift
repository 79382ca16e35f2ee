import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two `runnel agent` processes: a file → TcpOutput sender and a TcpInput → FileOutput receiver.
/// The receiver is killed with SIGKILL in the middle of the stream and started again; with peer
/// confirmations every line still reaches the receiver's file at least once.
@Suite struct TcpAgentPairTests {
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func startAgent(_ config: String, log: URL) throws -> Process {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = RunnelProcess.executable
        process.arguments = ["agent", "-c", config, "--log-level", "warning"]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func lines(_ path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    static func log(_ scratch: ScratchFolder, _ name: String) -> String {
        (try? String(contentsOf: scratch.url.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    static func waitFor(_ timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    @Test func receivingAgentKilledMidStreamLosesNoLine() async throws {
        let scratch = try ScratchFolder()
        let root = scratch.url.path
        let total = 100_000
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        let input = (0..<total).map { "line \($0) of the stream" }.joined(separator: "\n") + "\n"
        try Data(input.utf8).write(to: URL(fileURLWithPath: root + "/in/input.log"))
        let port = try Self.freePort()

        let receiverConfig = try scratch.file("receiver.toml", """
            [runnel]
            base_dir = "\(root)/receiver"
            admin_address = "off"
            shutdown_timeout = "5s"
            [tcp]
            type = "TcpInput"
            address = "127.0.0.1:\(port)"
            [file]
            type = "FileOutput"
            path = "\(root)/out.log"
            message_matcher = "TRUE"
            encoder = "PayloadEncoder"
            """)
        let senderConfig = try scratch.file("sender.toml", """
            [runnel]
            base_dir = "\(root)/sender"
            admin_address = "off"
            shutdown_timeout = "5s"
            [logs]
            type = "LogstreamerInput"
            log_directory = "\(root)/in"
            file_match = 'input\\.log'
            [forward]
            type = "TcpOutput"
            address = "127.0.0.1:\(port)"
            message_matcher = "TRUE"
            confirm_by = "peer"
            use_buffering = false
            """)
        var receiver = try Self.startAgent(receiverConfig, log: scratch.url.appendingPathComponent("receiver-1.log"))
        #expect(await Self.waitFor(.seconds(20)) { FileManager.default.fileExists(atPath: root + "/receiver/tcp.addr") })
        let sender = try Self.startAgent(senderConfig, log: scratch.url.appendingPathComponent("sender.log"))
        defer {
            if sender.isRunning { kill(sender.processIdentifier, SIGKILL) }
            if receiver.isRunning { kill(receiver.processIdentifier, SIGKILL) }
        }

        #expect(await Self.waitFor(.seconds(60)) { Self.lines(root + "/out.log").count >= total / 3 })
        kill(receiver.processIdentifier, SIGKILL)
        #expect(await Self.waitFor(.seconds(10)) { !receiver.isRunning })
        let linesAtKill = Self.lines(root + "/out.log").count
        #expect(linesAtKill < total, "the kill must happen mid-stream")

        receiver = try Self.startAgent(receiverConfig, log: scratch.url.appendingPathComponent("receiver-2.log"))
        let expected = Set((0..<total).map { "line \($0) of the stream" })
        var received = Set<Substring>()
        let complete = await Self.waitFor(.seconds(120)) {
            received = Set(Self.lines(root + "/out.log"))
            return received.count >= total
        }
        #expect(complete, "\(received.count) of \(total) distinct lines arrived")
        #expect(Set(received.map(String.init)) == expected)
        let duplicates = Self.lines(root + "/out.log").count - received.count
        // Only lines the dead receiver wrote but had not confirmed yet come twice.
        #expect(duplicates < total / 2)
        // Graceful stops: the sender first (everything is confirmed, so it ends at once), then the
        // receiver.
        kill(sender.processIdentifier, SIGTERM)
        #expect(await Self.waitFor(.seconds(10)) { !sender.isRunning }, "\(Self.log(scratch, "sender.log"))")
        kill(receiver.processIdentifier, SIGTERM)
        #expect(await Self.waitFor(.seconds(10)) { !receiver.isRunning }, "\(Self.log(scratch, "receiver-2.log"))")
        #expect(sender.terminationStatus == 0)
        #expect(receiver.terminationStatus == 0)
    }
}
