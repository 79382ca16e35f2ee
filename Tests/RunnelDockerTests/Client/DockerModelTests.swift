import Testing
import RunnelCore
@testable import RunnelDocker

@Suite struct DockerModelTests {
    static func json(_ name: String) throws -> JSONValue { try JSONReader.parse(try DockerFixtures.bytes(name)) }

    @Test func version() throws {
        let version = try DockerVersion(json: try Self.json("docker_version.json"))
        #expect(version.apiVersion == "1.41")
        #expect(version.version == "20.10.24+dfsg1")
        #expect(version.minAPIVersion == "1.12")
    }

    @Test func containerList() throws {
        guard case .array(let entries) = try Self.json("docker_containers_list.json") else {
            Issue.record("not an array")
            return
        }
        let containers = try entries.map { try DockerContainerSummary(json: $0) }
        #expect(containers.count == 2)
        #expect(containers.allSatisfy { DockerContainerID.isValid($0.id) && $0.state == "running" })
        #expect(containers[0].name == "brave_mclaren")
        #expect(containers[0].created == 1_795_637_034)
    }

    @Test func inspect() throws {
        let details = try DockerContainerDetails(json: try Self.json("docker_inspect.json"))
        #expect(details.id.hasPrefix("b384a94fb867"))
        #expect(DockerContainerID.short(details.id) == "b384a94fb867")
        #expect(details.name == "elegant_brahmagupta")
        #expect(details.environment["MARATHON_APP_ID"] == "/web/api")
        #expect(details.environment["MESOS_TASK_ID"] == "web_api.1b2c")
        #expect(details.labels["team"] == "web")
        #expect(details.running)
        #expect(!details.tty)
        #expect(details.startedAt == 1_795_637_034_069_689_471)
        #expect(details.finishedAt == nil)
        #expect(details.logDriver == "json-file")
        #expect(details.image == "bbox:test")
    }

    @Test func events() throws {
        let lines = try DockerFixtures.text("docker_events_stream.jsonl").split(separator: "\n")
        let events = try lines.map { try DockerEvent(json: try JSONReader.parse(String($0))) }
        #expect(events.map(\.action) == ["kill", "kill", "die", "stop", "destroy"])
        #expect(events[2].attributes["exitCode"] == "137")
        #expect(events[2].attributes["name"] == "elegant_brahmagupta")
        #expect(events[2].timeNano == 1_795_637_041_602_812_802)
        #expect(events.allSatisfy { $0.type == "container" && $0.id.hasPrefix("b384a94fb867") && $0.from == "bbox:test" })
    }

    /// The figures `docker stats` would show for the captured cgroup v1 sample.
    @Test func statsFiguresFromTheCapturedSample() throws {
        let sample = try DockerStatsSample(json: try Self.json("docker_stats_cgroupv1.json"))
        let figures = DockerStatsFigures(sample)
        // (62316234 - 56475849) / (4914510000000 - 4912550000000) * 2 * 100
        let expected = Double(62_316_234 - 56_475_849) / Double(4_914_510_000_000 - 4_912_550_000_000) * 2 * 100
        #expect(abs((figures.cpuPercent ?? -1) - expected) < 1e-9)
        #expect(figures.memUsage == 679_936)
        #expect(figures.memLimit == 67_108_864)
        #expect(figures.memRss == 114_688)
        #expect(figures.memCache == 0)
        #expect(figures.memWorkingSet == 679_936)
        #expect(abs(figures.rssPercent - 114_688.0 / 67_108_864.0 * 100) < 1e-9)
        #expect(figures.pids == 2)
        #expect(figures.blkioRead == 0 && figures.netRx == 0)
        #expect(sample.read == 1_795_637_038_574_227_549)
    }

    @Test func cgroupV2NamesAndCountersSum() throws {
        let text = """
        {"read":"2026-01-01T00:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":2000},"system_cpu_usage":20000,"online_cpus":4},
         "precpu_stats":{"cpu_usage":{"total_usage":1000},"system_cpu_usage":10000},
         "memory_stats":{"usage":1000,"limit":4000,"stats":{"anon":300,"file":600,"inactive_file":200}},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":10},{"major":8,"minor":0,"op":"write","value":5},
                                                      {"major":8,"minor":16,"op":"Read","value":1}]},
         "networks":{"eth0":{"rx_bytes":7,"tx_bytes":3},"eth1":{"rx_bytes":1,"tx_bytes":1}},"pids_stats":{"current":9}}
        """
        let figures = DockerStatsFigures(try DockerStatsSample(json: try JSONReader.parse(text)))
        #expect(figures.cpuPercent == 40)
        #expect(figures.memRss == 300 && figures.memCache == 600)
        #expect(figures.memWorkingSet == 800)
        #expect(figures.rssPercent == 7.5)
        #expect(figures.blkioRead == 11 && figures.blkioWrite == 5)
        #expect(figures.netRx == 8 && figures.netTx == 4)
        #expect(figures.pids == 9)
    }

    /// A one-shot sample has no precpu_stats: the previous sample of the container is used.
    @Test func cpuFromThePreviousSampleWhenDockerGaveNone() {
        let earlier = DockerStatsSample(read: 0, cpu: .init(totalUsage: 1_000, systemUsage: 100_000, onlineCPUs: 2))
        let later = DockerStatsSample(read: 1, cpu: .init(totalUsage: 51_000, systemUsage: 200_000, onlineCPUs: 2))
        #expect(DockerStatsFigures(later, previous: earlier).cpuPercent == 100)
        #expect(DockerStatsFigures(later).cpuPercent == nil)
        // A counter that went backwards (container restarted) gives no figure rather than a wild one.
        #expect(DockerStatsFigures(earlier, previous: later).cpuPercent == nil)
    }

    @Test func hostileJSONIsAnErrorNotACrash() throws {
        #expect(throws: DockerDecodingError.self) { try DockerContainerDetails(json: try JSONReader.parse("{\"Id\": 5}")) }
        #expect(throws: DockerDecodingError.self) { try DockerContainerDetails(json: try JSONReader.parse("{\"Id\": \"../../etc\"}")) }
        #expect(throws: DockerDecodingError.self) { try DockerStatsSample(json: try JSONReader.parse("[]")) }
        let odd = try DockerContainerDetails(json: try JSONReader.parse(
            "{\"Id\":\"\(String(repeating: "a", count: 64))\",\"Config\":{\"Env\":[\"NOEQUALS\",7,\"A=b=c\"],\"Labels\":null}}"))
        #expect(odd.environment == ["NOEQUALS": "", "A": "b=c"])
        #expect(odd.labels.isEmpty)
    }
}
