import Foundation
import Testing
import RunnelTestSupport
import RunnelCore

/// The private Docker engine of `deploy/local/dockerd.sh`, under a temporary folder, for the
/// integration suite: started once around the suite (idempotent), stopped by its pid and removed
/// at the end. With `RUNNEL_INTEGRATION=1` a daemon that cannot start fails the suite.
actor TestDockerd {
    static let shared = TestDockerd()

    struct Daemon: Sendable {
        let folder: String
        var socket: String { folder + "/docker.sock" }
        var endpoint: String { "unix://" + socket }
    }

    private var daemon: Daemon?
    /// Suites inside the daemon's scope now; it stops when the last one leaves.
    private var users = 0
    private var starts = 0

    static var required: Bool { ProcessInfo.processInfo.environment["RUNNEL_INTEGRATION"] == "1" }

    /// Worth trying: required, or the tools are installed.
    static var installed: Bool {
        ["/usr/sbin/dockerd", "/usr/bin/dockerd"].contains { FileManager.default.isExecutableFile(atPath: $0) }
            && ["/bin/busybox", "/usr/bin/busybox"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var script: String {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("deploy/local/dockerd.sh").path
    }

    /// Enters the daemon's scope (starting it when needed); pair with `release()`.
    func acquire() async throws -> Daemon {
        let started = try await start()
        users += 1
        return started
    }

    func release() async {
        users -= 1
        if users == 0 { await stop() }
    }

    func start() async throws -> Daemon {
        if let daemon { return daemon }
        starts += 1
        // A short path: dockerd's socket paths must stay under the 108-byte unix socket limit.
        let folder = "/tmp/rdt-\(getpid())-\(starts)"
        for action in ["start", "image"] {
            let result = await Shell.run(["bash", Self.script, action, folder], timeout: .seconds(90))
            guard result.status == 0 else {
                throw DockerdUnavailable(description: "dockerd.sh \(action) failed (\(result.status)): \(result.output.suffix(2000))")
            }
        }
        let started = Daemon(folder: folder)
        daemon = started
        return started
    }

    private func stop() async {
        guard let daemon else { return }
        self.daemon = nil
        _ = await Shell.run(["bash", Self.script, "stop", daemon.folder], timeout: .seconds(30))
        _ = await Shell.run(["rm", "-rf", daemon.folder], timeout: .seconds(60))
    }

    struct DockerdUnavailable: Error, CustomStringConvertible {
        let description: String
    }
}

/// Runs the suite inside a started private dockerd and stops it afterwards.
struct PrivateDockerdScope: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        _ = try await TestDockerd.shared.acquire()
        do {
            try await function()
        } catch {
            await TestDockerd.shared.release()
            throw error
        }
        await TestDockerd.shared.release()
    }
}

extension Trait where Self == PrivateDockerdScope {
    static var privateDockerd: Self { PrivateDockerdScope() }
}

/// Commands run to completion on a thread of their own, with a time limit. Spawned and reaped
/// with posix_spawn and waitpid rather than Foundation's Process, which waits for the end of its
/// status pipe: a daemon started in the background inherits that pipe and would keep it open.
enum Shell {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String], timeout: Duration) async -> Result {
        await onOwnThread {
            let outputPath = NSTemporaryDirectory() + "shell-\(UUID().uuidString)"
            defer { unlink(outputPath) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            InheritedDescriptors.closeAbove2(&actions)
            let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
            guard spawned == 0 else { return Result(status: -1, output: "posix_spawn failed: \(spawned)") }
            let deadline = ContinuousClock.now + timeout
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 {
                if ContinuousClock.now > deadline {
                    kill(pid, SIGKILL)
                    waitpid(pid, &status, 0)
                    return Result(status: -2, output: "timed out: \(arguments.joined(separator: " "))")
                }
                usleep(10_000)
            }
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let exited = status & 0x7F == 0
            return Result(status: exited ? (status >> 8) & 0xFF : -3, output: text)
        }
    }

    /// `docker -H <socket> …`; its trimmed output, or a failure naming the command.
    static func docker(_ daemon: TestDockerd.Daemon, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> String {
        let result = await run(["docker", "-H", daemon.endpoint] + arguments, timeout: timeout)
        guard result.status == 0 else {
            throw TestDockerd.DockerdUnavailable(description: "docker \(arguments.joined(separator: " ")): \(result.output)")
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
