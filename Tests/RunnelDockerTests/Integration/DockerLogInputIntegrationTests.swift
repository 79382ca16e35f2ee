import Foundation
import Testing
import RunnelCore
import RunnelHTTP
@testable import RunnelDocker

/// Everything that runs against the real private dockerd, one test at a time (a test may stop
/// and restart the daemon), inside one daemon started for the lot and stopped after.
@Suite(.serialized, .enabled(if: TestDockerd.required || TestDockerd.installed, "dockerd and busybox are not installed"),
       .privateDockerd, .timeLimit(.minutes(3)))
enum DockerIntegrationTests {}

/// DockerLogInput against the real private dockerd: real containers, real log streams.
extension DockerIntegrationTests {
    @Suite struct LogInput {
        static let image = "runnel-test/busybox:latest"

        /// Both ways of reading logs: through the API and from the json-file logs on this host.
        static let sources: [DockerLogInput.LogSource] = [.api, .jsonFile]

        static func input(_ daemon: TestDockerd.Daemon, source: DockerLogInput.LogSource = .api) throws -> DockerLogInput {
            var options = DockerLogInput.Options(
                endpoint: try HTTPEndpoint(parsing: daemon.endpoint),
                selection: ContainerFieldSelection(fieldsFromEnv: ["MARATHON_APP_ID", "MESOS_TASK_ID"], fieldsFromLabels: ["team"]))
            options.logSource = source
            options.retry = RetryPolicy(delay: .milliseconds(100), maxDelay: .seconds(1), maxJitter: .milliseconds(50), maxRetries: -1)
            return DockerLogInput(options: options)
        }

        /// `docker run -d` with a unique name; returns the container id.
        static func run(_ daemon: TestDockerd.Daemon, name: String, env: [String] = [], tty: Bool = false, labels: [String] = [],
                        _ script: String) async throws -> String {
            var arguments = ["run", "-d", "--network", "none", "--name", name]
            if tty { arguments.append("-t") }
            for variable in env { arguments += ["-e", variable] }
            for label in labels { arguments += ["-l", label] }
            arguments += [image, "sh", "-c", script]
            return try await Shell.docker(daemon, arguments)
        }

        static func unique(_ base: String) -> String { "\(base)-\(UUID().uuidString.prefix(6).lowercased())" }

        /// Prints "out i" and "err i" for i in 1...count.
        static func numbered(_ count: Int, pauseFirst: Bool = false) -> String {
            (pauseFirst ? "sleep 1; " : "") + "i=1; while [ $i -le \(count) ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done"
        }

        @Test(arguments: Self.sources) func everyLineOfEveryContainerExactlyOnceInOrderWithItsFields(source: DockerLogInput.LogSource) async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let count = 2000
            // One container already running when the input starts, four started after.
            let early = Self.unique("early")
            let earlyID = try await Self.run(daemon, name: early, env: ["MARATHON_APP_ID=/app/early"], labels: ["team=web"],
                                             Self.numbered(count, pauseFirst: true))
            let input = try Self.input(daemon, source: source)
            let checkpoints = harness.checkpoints()
            let task = Task { try await input.run(harness.context(checkpoints: checkpoints)) }
            defer { task.cancel() }
            var names = [early: "/app/early"]
            var ids = [early: earlyID]
            try await Task.sleep(for: .milliseconds(300))
            for index in 0..<4 {
                let name = Self.unique("late\(index)")
                names[name] = "/app/late\(index)"
                ids[name] = try await Self.run(daemon, name: name, env: ["MARATHON_APP_ID=/app/late\(index)", "MESOS_TASK_ID=t.\(index)"],
                                               Self.numbered(count))
            }
            await harness.collect(into: sink, timeout: .seconds(90)) { $0.count >= names.count * count * 2 }
            try await Task.sleep(for: .milliseconds(500))  // anything extra would be a duplicate
            await harness.collect(into: sink, timeout: .milliseconds(300)) { _ in false }

            for (name, app) in names {
                let messages = sink.from(name)
                let out = messages.filter { $0.logger?.string == "stdout" }
                let err = messages.filter { $0.logger?.string == "stderr" }
                expectLines(out.map(\.payloadText), (1...count).map { "out \($0)" }, "\(name) stdout")
                expectLines(err.map(\.payloadText), (1...count).map { "err \($0)" }, "\(name) stderr")
                #expect(messages.allSatisfy { $0.stringField("MARATHON_APP_ID") == app })
                #expect(messages.allSatisfy { $0.stringField("ContainerID") == String(ids[name]!.prefix(12)) })
                #expect(messages.allSatisfy { $0.stringField("ContainerImage") == Self.image && $0.type?.string == "DockerLog" })
                #expect(messages.allSatisfy { $0.hostname?.string == "test-host" })
                for stream in [out, err] {
                    #expect(zip(stream, stream.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
                }
            }
            #expect(sink.from(early).allSatisfy { $0.stringField("team") == "web" && $0.stringField("MESOS_TASK_ID") == nil })
            #expect(sink.messages.count == names.count * count * 2)
        }

        @Test(arguments: Self.sources) func ttyHostileBytesOneLineAndHugeLines(source: DockerLogInput.LogSource) async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let input = try Self.input(daemon, source: source)
            let task = Task { try await input.run(harness.context(checkpoints: harness.checkpoints(), maxMessageSize: 64 * 1024)) }
            defer { task.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            let tty = Self.unique("tty")
            _ = try await Self.run(daemon, name: tty, tty: true, "i=1; while [ $i -le 50 ]; do echo \"tty $i\"; i=$((i+1)); done")
            let hostile = Self.unique("hostile")
            _ = try await Self.run(daemon, name: hostile, #"printf 'a\377\000b\n'; printf '\303\n' >&2; echo done"#)
            let single = Self.unique("single")
            _ = try await Self.run(daemon, name: single, "echo only")
            let huge = Self.unique("huge")
            _ = try await Self.run(daemon, name: huge, "head -c 1000000 /dev/zero | tr '\\0' x; echo; head -c 40000 /dev/zero | tr '\\0' y; echo; echo after")
            await harness.collect(into: sink, timeout: .seconds(60)) { messages in
                messages.count >= 50 + 3 + 1 + 3
            }
            await harness.collect(into: sink, timeout: .milliseconds(500)) { _ in false }

            let ttyLines = sink.from(tty)
            #expect(ttyLines.map(\.payloadText) == (1...50).map { "tty \($0)" })
            #expect(ttyLines.allSatisfy { $0.logger?.string == "stdout" })

            // NUL bytes arrive as written. Invalid UTF-8 does not survive Docker itself: its json-file
            // driver stores lines as JSON strings, and Go's encoder turns each bad byte into U+FFFD.
            let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
            let hostileLines = sink.from(hostile)
            #expect(hostileLines.filter { $0.logger?.string == "stdout" }.map { $0.payload?.bytes ?? [] }
                    == [[0x61] + replacement + [0x00, 0x62], Array("done".utf8)])
            #expect(hostileLines.filter { $0.logger?.string == "stderr" }.map { $0.payload?.bytes ?? [] } == [replacement])

            #expect(sink.from(single).map(\.payloadText) == ["only"])

            let hugeLines = sink.from(huge)
            #expect(hugeLines.count == 3)
            if hugeLines.count == 3 {
                #expect(hugeLines[0].payload?.count == 64 * 1024)
                #expect(hugeLines[0].field(named: "truncated")?.values == .bool([true]))
                #expect(hugeLines[1].payloadText == String(repeating: "y", count: 40_000))
                #expect(hugeLines[1].field(named: "truncated") == nil)
                #expect(hugeLines[2].payloadText == "after")
            }
        }

        /// The input stops mid-stream with batches read but not confirmed (an agent killed before its
        /// outputs confirmed them); a new input from the saved checkpoints delivers the rest: together
        /// every line exactly once.
        @Test(arguments: Self.sources) func restartMidStreamResumesFromTheCheckpoint(source: DockerLogInput.LogSource) async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let name = Self.unique("restart")
            let total = 4000
            let script = "i=1; while [ $i -le \(total) ]; do echo \"line $i\"; if [ $((i % 200)) -eq 0 ]; then sleep 0.2; fi; i=$((i+1)); done"

            let first = MessageSink()
            let checkpoints = harness.checkpoints()
            let input = try Self.input(daemon, source: source)
            let task = Task { try await input.run(harness.context(checkpoints: checkpoints)) }
            try await Task.sleep(for: .milliseconds(300))
            _ = try await Self.run(daemon, name: name, env: ["MARATHON_APP_ID=/app/restart"], script)
            await harness.collect(into: first, timeout: .seconds(30)) { _ in first.from(name).count >= 1000 }
            // Then the outputs stop confirming (they are about to crash) while the input reads on.
            let unconfirmed = MessageSink()
            await harness.collect(into: unconfirmed, timeout: .milliseconds(400), confirm: false) { _ in false }
            task.cancel()
            _ = await task.result
            await harness.collect(into: unconfirmed, timeout: .milliseconds(300), confirm: false) { _ in false }
            #expect(unconfirmed.from(name).count > 0)
            try checkpoints.save()
            #expect(first.from(name).count >= 1000)

            let second = MessageSink()
            let resumed = try Self.input(daemon, source: source)
            let secondCheckpoints = harness.checkpoints()
            #expect(!secondCheckpoints.saved.isEmpty)
            let task2 = Task { try await resumed.run(harness.context(checkpoints: secondCheckpoints)) }
            defer { task2.cancel() }
            // (Containers of earlier tests, created while this input was "away", are drained too.)
            await harness.collect(into: second, timeout: .seconds(60)) { _ in first.from(name).count + second.from(name).count >= total }
            await harness.collect(into: second, timeout: .milliseconds(800)) { _ in false }

            let lines = (first.from(name) + second.from(name)).map(\.payloadText)
            expectLines(lines, (1...total).map { "line \($0)" },
                        "first run \(first.from(name).count), unconfirmed \(unconfirmed.from(name).count), second \(second.from(name).count)")
        }
    }
}

/// Compares line lists and, when they differ, says where, without printing thousands of lines.
func expectLines(_ actual: [String], _ expected: [String], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let index = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
    Issue.record("""
        \(label): \(actual.count) lines, \(expected.count) expected; first difference at \(index): \
        \(actual.dropFirst(index).prefix(3)) instead of \(expected.dropFirst(index).prefix(3)); \
        duplicates: \(actual.count - Set(actual).count)
        """, sourceLocation: sourceLocation)
}
