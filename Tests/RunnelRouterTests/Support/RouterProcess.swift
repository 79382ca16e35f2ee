import Foundation
import RunnelTestSupport

/// The built `runnel-router` executable run as a real process, output in files (no pipes to
/// drain), stopped by its pid at the end of every test.
final class RouterProcess {
    static let executable = RunnelProcess.executable.deletingLastPathComponent().appendingPathComponent("runnel-router")

    let process = Process()
    let scratch: ScratchFolder
    private let errorPath: String

    init(arguments: [String], scratch: ScratchFolder) throws {
        self.scratch = scratch
        errorPath = scratch.url.appendingPathComponent("router-\(UUID().uuidString).stderr").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath + ".out", contents: nil)
        process.executableURL = Self.executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    }

    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    func start() throws {
        try process.run()
    }

    /// The (proxy ports, admin port) the router printed once it listened.
    func waitUntilListening(timeout: Duration = .seconds(20)) async throws -> (proxy: [Int], admin: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && process.isRunning {
            let text = stderr
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on ports") }),
               let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
               let admin = line.split(separator: " ").last.flatMap({ Int($0) }) {
                return (line[line.index(after: open)..<close].split(separator: ",").compactMap { Int($0) }, admin)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(description: "runnel-router did not start: \(stderr)")
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// SIGTERM, then SIGKILL if it has not exited within `timeout`; returns the exit status.
    @discardableResult
    func stop(timeout: Duration = .seconds(10)) async -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            signal(SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
        return process.terminationStatus
    }

    /// Runs to completion (for `check`), within `timeout`.
    static func run(_ arguments: [String], scratch: ScratchFolder, timeout: Duration = .seconds(30)) async throws -> (status: Int32, output: String) {
        let router = try RouterProcess(arguments: arguments, scratch: scratch)
        try router.start()
        let deadline = ContinuousClock.now + timeout
        while router.process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let status = await router.stop()
        let output = (try? String(contentsOfFile: router.errorPath + ".out", encoding: .utf8)) ?? ""
        return (status, output + router.stderr)
    }
}
