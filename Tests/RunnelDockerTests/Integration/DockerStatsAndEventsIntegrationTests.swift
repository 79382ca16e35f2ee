import Foundation
import Testing
import RunnelCore
import RunnelHTTP
@testable import RunnelDocker

/// DockerStatsInput and DockerEventInput against the real private dockerd.
extension DockerIntegrationTests {
    @Suite struct StatsAndEvents {
        typealias Log = DockerIntegrationTests.LogInput

        static func statsInput(_ daemon: TestDockerd.Daemon, source: DockerStatsInput.Source) throws -> DockerStatsInput {
            var options = DockerStatsInput.Options(endpoint: try HTTPEndpoint(parsing: daemon.endpoint),
                                                   selection: ContainerFieldSelection(fieldsFromEnv: ["MARATHON_APP_ID"]))
            options.tickerInterval = .seconds(1)
            options.source = source
            return DockerStatsInput(options: options)
        }

        static func number(_ message: Message, _ name: String) -> Double? {
            switch message.field(named: ByteString(name))?.values {
            case .double(let values)?: return values.first
            case .integer(let values)?: return values.first.map(Double.init)
            default: return nil
            }
        }

        /// A busy loop shows above 50 % CPU, from the API and from cgroupfs, close to `docker stats`;
        /// a container that fills memory (`tail` holding 30 MB of one endless line) shows rssPercent
        /// rising within its limit.
        @Test(arguments: [DockerStatsInput.Source.api, .cgroupfs])
        func busyAndGrowingContainers(_ source: DockerStatsInput.Source) async throws {
            let daemon = try await TestDockerd.shared.start()
            let busy = Log.unique("busy")
            let busyID = try await Log.run(daemon, name: busy, env: ["MARATHON_APP_ID=/stats/busy"], "(while :; do :; done) & while :; do :; done")
            let grow = Log.unique("grow")
            _ = try await Shell.docker(daemon, ["run", "-d", "--network", "none", "-m", "64m", "--name", grow, "-e", "MARATHON_APP_ID=/stats/grow",
                                                Log.image, "sh", "-c", "sleep 8; (head -c 30000000 /dev/zero; sleep 60) | tail"])
            defer { Task { _ = try? await Shell.docker(daemon, ["rm", "-f", busy, grow]) } }
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            let sink = MessageSink()
            let input = try Self.statsInput(daemon, source: source)
            let task = Task { try await input.run(harness.context(checkpoints: harness.checkpoints())) }
            defer { task.cancel() }
            await harness.collect(into: sink, timeout: .seconds(40)) { messages in
                let grown = messages.filter { $0.logger?.string == grow }.compactMap { Self.number($0, "rssPercent") }
                return messages.filter { $0.logger?.string == busy }.count >= 4 && (grown.last ?? 0) > 30
            }
            let docker = try await Shell.docker(daemon, ["stats", "--no-stream", "--format", "{{.CPUPerc}}", busyID])

            let busyStats = sink.messages.filter { $0.logger?.string == busy }
            #expect(busyStats.count >= 4, "\(source)")
            let cpu = busyStats.dropFirst().compactMap { Self.number($0, "cpuPercent") }
            // Two busy loops on two cores read up to 200; other work on a shared machine takes a
            // varying share, so the busiest sample is the one that must show it.
            #expect(cpu.count >= 2 && cpu.allSatisfy { $0 > 5 } && (cpu.max() ?? 0) > 50, "\(source): \(cpu)")
            let dockerCPU = Double(docker.replacingOccurrences(of: "%", with: "")) ?? -1
            // Two busy loops on two shared cores: the share they get moves between samples, so the
            // comparison allows for that.
            #expect(abs((cpu.last ?? 0) - dockerCPU) < max(30, dockerCPU * 0.4), "\(source): ours \(cpu), docker stats \(dockerCPU)")
            let first = try #require(busyStats.first)
            #expect(first.type?.string == "DockerStats")
            #expect(first.stringField("MARATHON_APP_ID") == "/stats/busy")
            #expect(first.stringField("ContainerID") == String(busyID.prefix(12)))
            for name in ["memUsage", "memLimit", "memRss", "memCache", "memWorkingSet", "rssPercent", "blkioRead", "blkioWrite", "netRx", "netTx", "pids"] {
                #expect(Self.number(first, name) != nil, "\(source): \(name) missing")
            }
            #expect((Self.number(first, "pids") ?? 0) >= 1)

            let grown = sink.messages.filter { $0.logger?.string == grow }
            let rss = grown.compactMap { Self.number($0, "rssPercent") }
            #expect((rss.first ?? 100) < 10, "\(source): \(rss)")
            #expect((rss.last ?? 0) > 30 && (rss.last ?? 100) <= 100, "\(source): \(rss)")
            #expect(grown.last.flatMap { Self.number($0, "memLimit") } == Double(64 * 1024 * 1024))
        }

        /// Container events with Heka's fields; a restarted input resumes after the last confirmed
        /// event: what happened while it was down arrives, nothing twice.
        @Test func eventsAndResumeAfterARestart() async throws {
            let daemon = try await TestDockerd.shared.start()
            let harness = try DockerInputHarness()
            defer { harness.remove() }
            var options = DockerEventInput.Options(endpoint: try HTTPEndpoint(parsing: daemon.endpoint))
            options.types = ["container"]
            let checkpoints = harness.checkpoints(name: "events")
            let first = MessageSink()
            let task = Task { try await DockerEventInput(options: options).run(harness.context(name: "events", checkpoints: checkpoints)) }
            try await Task.sleep(for: .milliseconds(300))
            let one = Log.unique("evone")
            let oneID = try await Log.run(daemon, name: one, "echo hi")
            _ = try await Shell.docker(daemon, ["wait", one])
            _ = try await Shell.docker(daemon, ["rm", one])
            await harness.collect(into: first, timeout: .seconds(20)) { messages in
                messages.contains { $0.stringField("Status") == "destroy" && $0.stringField("ID") == oneID }
            }
            task.cancel()
            _ = await task.result
            try checkpoints.save()

            let actions = first.messages.filter { $0.stringField("ID") == oneID }.compactMap { $0.stringField("Status") }
            #expect(actions.starts(with: ["create", "start"]) || actions.contains("start"), "\(actions)")
            #expect(actions.contains("die") && actions.last == "destroy", "\(actions)")
            let die = try #require(first.messages.first { $0.stringField("Status") == "die" && $0.stringField("ID") == oneID })
            #expect(die.type?.string == "DockerEvent")
            #expect(die.logger?.string == oneID)
            #expect(die.stringField("From") == Log.image)
            #expect(die.stringField("ContainerName") == one)
            #expect(die.field(named: "ExitCode")?.values == .integer([0]))
            #expect(die.payloadText == "id:\(oneID) status:die from:\(Log.image) time:\(die.timestamp / 1_000_000_000)")

            // While the input is down, another container comes and goes.
            let two = Log.unique("evtwo")
            let twoID = try await Log.run(daemon, name: two, "echo hi")
            _ = try await Shell.docker(daemon, ["wait", two])
            let second = MessageSink()
            let resumed = harness.checkpoints(name: "events")
            let task2 = Task { try await DockerEventInput(options: options).run(harness.context(name: "events", checkpoints: resumed)) }
            defer { task2.cancel() }
            await harness.collect(into: second, timeout: .seconds(20)) { messages in
                messages.contains { $0.stringField("Status") == "die" && $0.stringField("ID") == twoID }
            }
            await harness.collect(into: second, timeout: .milliseconds(300)) { _ in false }
            #expect(second.messages.contains { $0.stringField("ID") == twoID && $0.stringField("Status") == "start" })
            #expect(!second.messages.contains { $0.stringField("ID") == oneID }, "events before the checkpoint came again")
        }
    }
}
