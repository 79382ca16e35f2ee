import Foundation
import Testing
import RunnelTestSupport
@testable import RunnelDocker

#if canImport(Glibc)
import Glibc
#endif

/// `runnel agent` as a real process with DockerLogInput: killed with SIGKILL mid-stream and
/// started again, it delivers every line; the only repeats are the lines written after its last
/// saved checkpoint, exactly.
extension DockerIntegrationTests {
    @Suite struct AgentKill {
        typealias Log = DockerIntegrationTests.LogInput

        struct OutputLine {
            let number: Int
            let timestamp: Int64
        }

        static func outputLines(_ path: String) -> [OutputLine] {
            guard let data = FileManager.default.contents(atPath: path) else { return [] }
            return data.split(separator: 0x0A).compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let payload = object["Payload"] as? String, payload.hasPrefix("line "),
                      let number = Int(payload.dropFirst(5)), let timestamp = (object["Timestamp"] as? NSNumber)?.int64Value
                else { return nil }
                return OutputLine(number: number, timestamp: timestamp)
            }
        }

        @Test func killDashNineAndRestart() async throws {
            let daemon = try await TestDockerd.shared.start()
            let scratch = try ScratchFolder()
            let name = Log.unique("killed")
            let output = scratch.url.path + "/out.json"
            let config = try scratch.file("agent.toml", """
                [runnel]
                base_dir = "\(scratch.url.path)/state"
                admin_address = "127.0.0.1:0"

                [docker]
                type = "DockerLogInput"
                endpoint = "\(daemon.endpoint)"
                fields_from_env = ["MARATHON_APP_ID"]
                include = "Fields[ContainerName] == '\(name)'"

                [JsonEncoder]

                [out]
                type = "FileOutput"
                message_matcher = "TRUE"
                path = "\(output)"
                encoder = "JsonEncoder"
                """)
            let total = 6000
            let first = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
            #expect(await first.adminAddress() != nil, "\(first.stderrText)")
            _ = try await Log.run(daemon, name: name, env: ["MARATHON_APP_ID=/killed"],
                                  "i=1; while [ $i -le \(total) ]; do echo \"line $i\"; i=$((i+1)); "
                                  + "if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done")
            let deadline = ContinuousClock.now + .seconds(90)
            while Self.outputLines(output).count < 2000 && ContinuousClock.now < deadline && first.process.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            first.signal(SIGKILL)
            #expect(await first.waitForExit(timeout: .seconds(10)) != nil)

            let atKill = Self.outputLines(output)
            #expect(atKill.count >= 2000 && atKill.count < total, "the kill lands mid-stream: \(atKill.count)")
            expectLines(atKill.map { "line \($0.number)" }, (1...atKill.count).map { "line \($0)" }, "before the kill")
            // The saved checkpoint of the container's stdout: [timestamp, entries at that timestamp].
            let checkpointText = (try? String(contentsOfFile: scratch.url.path + "/state/checkpoints/docker.checkpoint", encoding: .utf8)) ?? ""
            let saved = checkpointText.split(separator: "\n").first { $0.contains("%2Fstdout") }?.split(separator: " ").dropFirst()
                .compactMap { Int64($0) } ?? []
            var checkpointed = 0
            if saved.count == 2 {
                let before = atKill.filter { $0.timestamp < saved[0] }.count
                let at = atKill.filter { $0.timestamp == saved[0] }.count
                checkpointed = before + min(at, Int(saved[1]))
            }
            #expect(checkpointed <= atKill.count, "the checkpoint never runs ahead of what the output wrote")

            let second = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path)
            #expect(await second.adminAddress() != nil, "\(second.stderrText)")
            let expectedCount = total + atKill.count - checkpointed
            while Self.outputLines(output).count < expectedCount && ContinuousClock.now < deadline && second.process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(500))
            second.signal(SIGTERM)
            #expect(await second.waitForExit(timeout: .seconds(30)) == 0, "\(second.stderrText)")

            let numbers = Self.outputLines(output).map(\.number)
            #expect(Set(numbers) == Set(1...total), "every line is in the output")
            #expect(numbers.count - total == atKill.count - checkpointed,
                    "duplicates are exactly the lines written after the last saved checkpoint")
            print("docker kill -9 test: \(atKill.count) lines written at the kill, \(checkpointed) checkpointed, \(numbers.count - total) duplicates")
            _ = try? await Shell.docker(daemon, ["rm", "-f", name])
        }
    }
}
