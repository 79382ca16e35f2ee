import Foundation
import Testing
import RunnelCore
import RunnelHTTP
@testable import RunnelDocker

/// DockerLogInput through container churn and a dockerd restart: compared line for line with
/// what `docker logs` says each container printed.
extension DockerIntegrationTests {
    @Suite struct LogResilience {
        typealias Log = DockerIntegrationTests.LogInput

        /// `docker logs` of one stream, as the CLI prints it.
        static func dockerLogs(_ daemon: TestDockerd.Daemon, _ name: String, stream: DockerLogStream) async throws -> [String] {
            let redirect = stream == .stdout ? "2>/dev/null" : "2>&1 >/dev/null"
            let result = await Shell.run(["sh", "-c", "docker -H \(daemon.endpoint) logs \(name) \(redirect)"], timeout: .seconds(60))
            try #require(result.status == 0, "docker logs \(name): \(result.output)")
            return result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }

        static func check(_ sink: MessageSink, _ daemon: TestDockerd.Daemon, _ name: String, app: String? = nil) async throws {
            let messages = sink.from(name)
            for stream in DockerLogStream.allCases {
                let expected = try await dockerLogs(daemon, name, stream: stream)
                let delivered = messages.filter { $0.logger?.string == stream.name }.map(\.payloadText)
                expectLines(delivered, expected, "\(name) \(stream.name)")
            }
            if let app { #expect(messages.allSatisfy { $0.stringField("MARATHON_APP_ID") == app }, "\(name)") }
        }

        /// 50 containers started in waves while others are killed mid-print: every line each of
        /// them printed arrives once, in order per stream, with its container's app id.
        @Test(arguments: Log.sources) func fiftyContainersChurning(source: DockerLogInput.LogSource) async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let input = try Log.input(daemon, source: source)
            let task = Task { try await input.run(harness.context(checkpoints: harness.checkpoints())) }
            defer { task.cancel() }
            let collector = Task {
                await harness.collect(into: sink, timeout: .seconds(150)) { _ in Task.isCancelled }
            }
            let script = "i=1; while [ $i -le 300 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); "
                + "if [ $((i % 30)) -eq 0 ]; then sleep 0.05; fi; done"
            var names: [(String, String)] = []
            for wave in 0..<10 {
                try await withThrowingTaskGroup(of: (String, String).self) { group in
                    for slot in 0..<5 {
                        let name = Log.unique("churn\(wave)-\(slot)")
                        let app = "/churn/app\(slot)"
                        group.addTask {
                            _ = try await Log.run(daemon, name: name, env: ["MARATHON_APP_ID=\(app)"], script)
                            return (name, app)
                        }
                    }
                    for try await started in group { names.append(started) }
                }
                // Kill two containers of the previous wave, wherever they are in their output.
                if wave > 0 {
                    for (name, _) in names.suffix(10).prefix(2) {
                        _ = try? await Shell.docker(daemon, ["kill", name])
                    }
                }
            }
            // Wait for every container to stop, then for the input to catch up.
            for (name, _) in names { _ = try? await Shell.docker(daemon, ["wait", name], timeout: .seconds(60)) }
            var expectedTotal = 0
            var expected: [String: Int] = [:]
            for (name, _) in names {
                let count = try await Self.dockerLogs(daemon, name, stream: .stdout).count + Self.dockerLogs(daemon, name, stream: .stderr).count
                expected[name] = count
                expectedTotal += count
            }
            let deadline = ContinuousClock.now + .seconds(60)
            while sink.messages.count < expectedTotal && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(500))
            collector.cancel()
            await collector.value
            #expect(names.count == 50)
            #expect(expectedTotal > 15_000, "\(expectedTotal) lines printed in all")
            #expect(sink.messages.count == expectedTotal)
            for (name, app) in names { try await Self.check(sink, daemon, name, app: app) }
            _ = try? await Shell.docker(daemon, ["rm", "-f"] + names.map(\.0))
        }

        /// dockerd 20.10 sometimes ends a followed log stream at the container's exit before the
        /// last lines (seen here in 2 of 10 runs of this very container): the input reads what is
        /// left once the container stopped, so nothing is missing.
        @Test func linesAFollowedStreamEndedWithoutAreDrained() async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let task = Task { try await Log.input(daemon).run(harness.context(checkpoints: harness.checkpoints())) }
            defer { task.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            var names: [String] = []
            for index in 0..<6 {
                let name = Log.unique("exitrace\(index)")
                names.append(name)
                _ = try await Log.run(daemon, name: name, Log.numbered(4000))
            }
            for name in names { _ = try? await Shell.docker(daemon, ["wait", name], timeout: .seconds(60)) }
            await harness.collect(into: sink, timeout: .seconds(60)) { $0.count >= names.count * 8000 }
            await harness.collect(into: sink, timeout: .milliseconds(500)) { _ in false }
            for name in names { try await Self.check(sink, daemon, name) }
            _ = try? await Shell.docker(daemon, ["rm", "-f"] + names)
        }

        /// dockerd is stopped while a container prints (which kills it) and started again: the
        /// input waits, reconnects, drains the container, and has every line it printed, once.
        @Test(arguments: Log.sources) func dockerdRestartMidStream(source: DockerLogInput.LogSource) async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let input = try Log.input(daemon, source: source)
            let logs = LogRecorder()
            let task = Task { try await input.run(harness.context(checkpoints: harness.checkpoints(), logs: logs)) }
            defer { task.cancel() }
            let name = Log.unique("outage")
            _ = try await Shell.docker(daemon, ["run", "-d", "--network", "none", "--stop-timeout", "1", "--name", name,
                                                "-e", "MARATHON_APP_ID=/outage", Log.image, "sh", "-c",
                                                "i=1; while [ $i -le 100000 ]; do echo \"line $i\"; echo \"err $i\" >&2; i=$((i+1)); "
                                                + "if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done"])
            await harness.collect(into: sink, timeout: .seconds(30)) { _ in sink.from(name).count >= 2000 }
            let stop = await Shell.run(["bash", TestDockerd.script, "stop", daemon.folder], timeout: .seconds(60))
            try #require(stop.status == 0, "\(stop.output)")
            await harness.collect(into: sink, timeout: .seconds(1)) { _ in false }
            let start = await Shell.run(["bash", TestDockerd.script, "start", daemon.folder], timeout: .seconds(90))
            try #require(start.status == 0, "\(start.output)")
            let expectedOut = try await Self.dockerLogs(daemon, name, stream: .stdout)
            let expectedErr = try await Self.dockerLogs(daemon, name, stream: .stderr)
            await harness.collect(into: sink, timeout: .seconds(60)) { _ in sink.from(name).count >= expectedOut.count + expectedErr.count }
            await harness.collect(into: sink, timeout: .milliseconds(800)) { _ in false }
            #expect(expectedOut.count + expectedErr.count >= 2000)
            try await Self.check(sink, daemon, name, app: "/outage")
            #expect(logs.count(.warning, containing: "dockerd unreachable") == 1)
            #expect(logs.count(.info, containing: "dockerd reachable again") == 1)
        }
    }
}
