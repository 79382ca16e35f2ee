import Foundation
import Testing
@testable import RunnelDocker
import RunnelTestSupport

/// The cgroup reader over fake cgroup v1 and v2 trees (the files the kernel would show).
@Suite struct CgroupStatsReaderTests {
    static let id = String(repeating: "c0ffee", count: 10) + "abcd"

    static func write(_ root: URL, _ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func fakeProc(_ root: URL, ticks: Int) throws {
        try write(root, "proc/stat", "cpu  \(ticks) 0 0 0 0 0 0 77 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
        try write(root, "proc/4242/net/dev", """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
              eth0:    1500      10    0    0    0     0          0         0      700       5    0    0    0     0       0          0

            """)
    }

    @Test func cgroupV1WithDockersCgroupfsDriver() throws {
        let scratch = try ScratchFolder()
        let root = scratch.url
        let base = "docker/\(Self.id)"
        try Self.write(root, "cg/memory/\(base)/memory.usage_in_bytes", "10000\n")
        try Self.write(root, "cg/memory/\(base)/memory.limit_in_bytes", "40000\n")
        try Self.write(root, "cg/memory/\(base)/memory.stat", "cache 3000\nrss 5000\ntotal_inactive_file 1000\ninactive_file 999\n")
        try Self.write(root, "cg/memory/\(base)/cgroup.procs", "4242\n4243\n")
        try Self.write(root, "cg/cpuacct/\(base)/cpuacct.usage", "500000000\n")
        try Self.write(root, "cg/cpuacct/\(base)/cpuacct.usage_percpu", "250000000 250000000 \n")
        try Self.write(root, "cg/blkio/\(base)/blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n")
        try Self.write(root, "cg/pids/\(base)/pids.current", "3\n")
        try Self.fakeProc(root, ticks: 1000)
        let reader = CgroupStatsReader(cgroupRoot: root.path + "/cg", procRoot: root.path + "/proc")
        #expect(reader.version == .v1)
        #expect(reader.isReadable(Self.id))
        let sample = try #require(reader.sample(Self.id, now: 5))
        #expect(sample.cpu == .init(totalUsage: 500_000_000, systemUsage: 1000 * 1_000_000_000 / UInt64(sysconf(Int32(_SC_CLK_TCK))), onlineCPUs: 2))
        #expect(sample.memoryUsage == 10_000 && sample.memoryLimit == 40_000)
        #expect(sample.memoryRSS == 5000 && sample.memoryCache == 3000 && sample.memoryInactiveFile == 1000)
        #expect(sample.blockRead == 4096 && sample.blockWrite == 8192)
        #expect(sample.pids == 3)
        #expect(sample.networkReceived == 1500 && sample.networkSent == 700)
        let figures = DockerStatsFigures(sample)
        #expect(figures.rssPercent == 12.5)
        #expect(figures.memWorkingSet == 9000)
        #expect(reader.sample(String(repeating: "0", count: 64), now: 0) == nil)
        #expect(reader.sample("../../etc", now: 0) == nil)
    }

    @Test func cgroupV2WithTheSystemdDriver() throws {
        let scratch = try ScratchFolder()
        let root = scratch.url
        let base = "cg/system.slice/docker-\(Self.id).scope"
        try Self.write(root, "cg/cgroup.controllers", "cpu memory io pids\n")
        try Self.write(root, "\(base)/cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n")
        try Self.write(root, "\(base)/memory.current", "8000\n")
        try Self.write(root, "\(base)/memory.max", "max\n")
        try Self.write(root, "\(base)/memory.stat", "anon 2000\nfile 5000\ninactive_file 3000\n")
        try Self.write(root, "\(base)/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2\n8:16 rbytes=1 wbytes=2\n")
        try Self.write(root, "\(base)/pids.current", "7\n")
        try Self.write(root, "\(base)/cgroup.procs", "4242\n")
        try Self.fakeProc(root, ticks: 10)
        let reader = CgroupStatsReader(cgroupRoot: root.path + "/cg", procRoot: root.path + "/proc")
        #expect(reader.version == .v2)
        let sample = try #require(reader.sample(Self.id, now: 0))
        #expect(sample.cpu.totalUsage == 2_500_000)
        #expect(sample.memoryUsage == 8000)
        #expect(sample.memoryLimit > 1 << 20)  // "max": the host's memory
        #expect(sample.memoryRSS == 2000 && sample.memoryCache == 5000 && sample.memoryInactiveFile == 3000)
        #expect(sample.blockRead == 101 && sample.blockWrite == 202)
        #expect(sample.pids == 7 && sample.networkReceived == 1500)
        #expect(DockerStatsFigures(sample).memWorkingSet == 5000)
    }
}
