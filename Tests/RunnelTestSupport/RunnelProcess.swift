import Foundation

/// Runs the built `runnel` executable as a real process, the way users and scripts run it.
public struct RunnelProcess {
    public struct Result {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// `runnel` sits beside the test bundle in the build products folder.
    public static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On Linux the test binary is `<products>/RunnelPackageTests.xctest`.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("runnel").path),
              folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("runnel")
    }()

    /// Runs to completion. Async, and waiting without blocking a thread: the tests' cooperative
    /// threads (two on this machine) must stay free for servers under test in the same process.
    public static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:]) async throws -> Result {
        // Files rather than pipes: a large output can never block the child, and no reader threads.
        let scratch = try ScratchFolder()
        let inputPath = try scratch.file("stdin", stdin)
        let outputURL = scratch.url.appendingPathComponent("stdout")
        let errorURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Result(status: process.terminationStatus, stdout: try Data(contentsOf: outputURL),
                      stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}

/// A scratch folder removed when the test ends.
public final class ScratchFolder {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("runnel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String, _ contents: Data) throws -> String {
        let path = url.appendingPathComponent(name)
        try contents.write(to: path)
        return path.path
    }

    public func file(_ name: String, _ text: String) throws -> String {
        try file(name, Data(text.utf8))
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
