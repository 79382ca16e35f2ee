import Foundation
import Testing
import RunnelTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What `make run` shows a newcomer: the repository's `plugins.toml` on the demo apps of
/// `deploy/local/demo-apps.sh` prints tagged log lines and per-app statistics within seconds.
/// Only paths, the admin port and the intervals are changed, so the test stays quick and
/// leaves the checkout alone.
extension DockerIntegrationTests {
    @Suite struct DefaultConfigDemo {
        static var repository: URL { URL(fileURLWithPath: TestDockerd.script).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

        static func adapted(_ config: String, scratch: String) -> String {
            config
                .replacingOccurrences(of: "base_dir = \"state\"", with: "base_dir = \"\(scratch)/state\"")
                .replacingOccurrences(of: "admin_address = \"127.0.0.1:4352\"", with: "admin_address = \"127.0.0.1:0\"")
                .replacingOccurrences(of: "path = \"state/out/", with: "path = \"\(scratch)/out/")
                .replacingOccurrences(of: "ticker_interval = \"5s\"", with: "ticker_interval = \"1s\"")
                .replacingOccurrences(of: "ticker_interval = 10", with: "ticker_interval = 3")
        }

        @Test func defaultConfigShowsTaggedLinesAndAppStats() async throws {
            let daemon = try await TestDockerd.shared.start()
            let demo = Self.repository.appendingPathComponent("deploy/local/demo-apps.sh").path
            let started = await Shell.run(["bash", demo, "start", daemon.folder], timeout: .seconds(120))
            try #require(started.status == 0, Comment(rawValue: started.output))
            defer { Task { _ = try? await Shell.docker(daemon, ["rm", "-f", "demo-web-1", "demo-web-2", "demo-worker-1"]) } }

            let scratch = try ScratchFolder()
            let original = try String(contentsOf: Self.repository.appendingPathComponent("plugins.toml"), encoding: .utf8)
            let configText = Self.adapted(original, scratch: scratch.url.path)
            #expect(configText != original && !configText.contains("4352"), "the test adapts the real plugins.toml")
            let config = try scratch.file("plugins.toml", configText)
            let agent = try AgentProcess(config: config, baseDir: scratch.url.path + "/state", logFolder: scratch.url.path,
                                         environment: ["DOCKER_HOST": daemon.endpoint])
            defer { agent.signal(SIGKILL) }
            #expect(await agent.adminAddress() != nil, "\(agent.stderrText)")

            var console = ""
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline && agent.process.isRunning {
                console = (try? String(contentsOfFile: agent.stdoutPath, encoding: .utf8)) ?? ""
                if console.contains(" /demo/web demo-web-1 stdout: 10.0.") && console.contains(" /demo/web demo-web-2 stdout: ")
                    && console.contains(" /demo/worker demo-worker-1 stdout: job=") && Self.webStats(console) != nil { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(console.contains(" /demo/web demo-web-1 stdout: 10.0."), "\(console.suffix(2000))")
            #expect(console.contains(" /demo/worker demo-worker-1 stdout: job="), "\(console.suffix(2000))")
            let stats = try #require(Self.webStats(console), "no AppStats for /demo/web: \(console.suffix(2000))\n\(agent.stderrText)")
            #expect(stats["ContainerID_distinct"] as? Int == 2)
            #expect(stats["cpuPercent_max"] is Double && stats["rssPercent_avg"] is Double)
            #expect((stats["rssPercent_max"] as? Double ?? 0) > 0.0001, "rssPercent against the host's memory, not 2^63: \(stats)")
            let archived = (try? FileManager.default.contentsOfDirectory(atPath: scratch.url.path + "/out")) ?? []
            #expect(Set(archived).isSuperset(of: ["DockerLog.jsonl", "DockerStats.jsonl", "AppStats.jsonl"]), "\(archived)")

            agent.signal(SIGTERM)
            #expect(await agent.waitForExit(timeout: .seconds(30)) == 0, "\(agent.stderrText)")
        }

        /// The Fields of the newest AppStats line for /demo/web that saw both containers.
        static func webStats(_ console: String) -> [String: Any]? {
            for line in console.split(separator: "\n").reversed() where line.contains("\"AppStats\"") && line.contains("/demo/web") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let fields = object["Fields"] as? [String: Any], fields["ContainerID_distinct"] as? Int == 2 else { continue }
                return fields
            }
            return nil
        }
    }
}
