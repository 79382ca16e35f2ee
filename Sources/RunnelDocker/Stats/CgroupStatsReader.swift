#if canImport(Glibc)
import Glibc
#endif

/// Reads a container's counters straight from the cgroup filesystem (v1 or v2) and procfs,
/// without asking dockerd: a few small file reads per container instead of an API call that
/// costs the daemon a collection cycle. Works for the agent on the host, or in a container with
/// the host's `/sys/fs/cgroup` and `/proc` mounted (give their paths).
///
/// The reads are plain blocking syscalls on kernel files (no disk): callers run them on a
/// thread of their own, not on the cooperative pool.
public struct CgroupStatsReader: Sendable {
    public enum Version: Sendable { case v1, v2 }

    public let cgroupRoot: String
    public let procRoot: String
    public let version: Version

    public init(cgroupRoot: String = "/sys/fs/cgroup", procRoot: String = "/proc") {
        self.cgroupRoot = cgroupRoot
        self.procRoot = procRoot
        version = access(cgroupRoot + "/cgroup.controllers", F_OK) == 0 ? .v2 : .v1
    }

    /// True when this container's cgroup can be read here.
    public func isReadable(_ id: String) -> Bool {
        directory(for: id, controller: version == .v1 ? "memory" : nil) != nil
    }

    /// A sample with the same meaning as the API's (`precpu_stats` left empty); nil when the
    /// container's cgroup is not there (stopped, or not readable from here).
    public func sample(_ id: String, now: Int64) -> DockerStatsSample? {
        switch version {
        case .v1: return sampleV1(id, now: now)
        case .v2: return sampleV2(id, now: now)
        }
    }

    private func sampleV1(_ id: String, now: Int64) -> DockerStatsSample? {
        guard let memory = directory(for: id, controller: "memory"), let cpuacct = directory(for: id, controller: "cpuacct")
        else { return nil }
        let memoryStat = Self.keyValues(read(memory + "/memory.stat"))
        let cpus = read(cpuacct + "/cpuacct.usage_percpu").split { $0 == " " || $0 == "\n" }.count
        var sample = DockerStatsSample(
            read: now,
            cpu: .init(totalUsage: number(cpuacct + "/cpuacct.usage"), systemUsage: systemCPUUsage(),
                       onlineCPUs: cpus > 0 ? cpus : Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
            memoryUsage: number(memory + "/memory.usage_in_bytes"),
            // Unlimited reads as about 2^63; like dockerd, report the host's memory instead.
            memoryLimit: min(number(memory + "/memory.limit_in_bytes"), hostMemory()),
            memoryRSS: memoryStat["rss"] ?? 0,
            memoryCache: memoryStat["cache"] ?? 0,
            memoryInactiveFile: memoryStat["total_inactive_file"] ?? memoryStat["inactive_file"] ?? 0)
        if let blkio = directory(for: id, controller: "blkio") {
            var text = read(blkio + "/blkio.io_service_bytes_recursive")
            if text.isEmpty || text.hasPrefix("Total") { text = read(blkio + "/blkio.throttle.io_service_bytes_recursive") }
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let value = UInt64(parts[2]) else { continue }
                switch parts[1].lowercased() {
                case "read": sample.blockRead &+= value
                case "write": sample.blockWrite &+= value
                default: break
                }
            }
        }
        if let pids = directory(for: id, controller: "pids") { sample.pids = number(pids + "/pids.current") }
        addNetwork(to: &sample, procs: memory + "/cgroup.procs")
        return sample
    }

    private func sampleV2(_ id: String, now: Int64) -> DockerStatsSample? {
        guard let folder = directory(for: id, controller: nil) else { return nil }
        let memoryStat = Self.keyValues(read(folder + "/memory.stat"))
        let cpuStat = Self.keyValues(read(folder + "/cpu.stat"))
        let limitText = read(folder + "/memory.max").trimmingWhitespace
        let limit = UInt64(limitText) ?? hostMemory()
        var sample = DockerStatsSample(
            read: now,
            cpu: .init(totalUsage: (cpuStat["usage_usec"] ?? 0) &* 1000, systemUsage: systemCPUUsage(),
                       onlineCPUs: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
            memoryUsage: number(folder + "/memory.current"),
            memoryLimit: limit,
            memoryRSS: memoryStat["anon"] ?? 0,
            memoryCache: memoryStat["file"] ?? 0,
            memoryInactiveFile: memoryStat["inactive_file"] ?? 0,
            pids: number(folder + "/pids.current"))
        for line in read(folder + "/io.stat").split(separator: "\n") {
            for pair in line.split(separator: " ").dropFirst() {
                let kv = pair.split(separator: "=")
                guard kv.count == 2, let value = UInt64(kv[1]) else { continue }
                if kv[0] == "rbytes" { sample.blockRead &+= value }
                if kv[0] == "wbytes" { sample.blockWrite &+= value }
            }
        }
        addNetwork(to: &sample, procs: folder + "/cgroup.procs")
        return sample
    }

    /// The cgroup folder of the container: Docker's cgroupfs driver (`docker/<id>`) or the
    /// systemd driver (`system.slice/docker-<id>.scope`).
    private func directory(for id: String, controller: String?) -> String? {
        guard DockerContainerID.isValid(id) else { return nil }
        let base = controller.map { cgroupRoot + "/" + $0 } ?? cgroupRoot
        for candidate in [base + "/docker/" + id, base + "/system.slice/docker-" + id + ".scope"] {
            if access(candidate, F_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Network counters of the container's namespace, through its first process (loopback left out).
    private func addNetwork(to sample: inout DockerStatsSample, procs: String) {
        guard let pid = read(procs).split(separator: "\n").first.flatMap({ Int($0) }) else { return }
        for line in read("\(procRoot)/\(pid)/net/dev").split(separator: "\n").dropFirst(2) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let interface = line[..<colon].trimmingWhitespace
            guard interface != "lo" else { continue }
            let columns = line[line.index(after: colon)...].split(separator: " ")
            guard columns.count >= 9, let received = UInt64(columns[0]), let sent = UInt64(columns[8]) else { continue }
            sample.networkReceived &+= received
            sample.networkSent &+= sent
        }
    }

    /// All CPUs' time in nanoseconds, as dockerd computes `system_cpu_usage` from `/proc/stat`.
    private func systemCPUUsage() -> UInt64 {
        guard let line = read(procRoot + "/stat").split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().prefix(7).compactMap { UInt64($0) }.reduce(0, &+)
        let perSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return ticks &* (1_000_000_000 / perSecond)
    }

    private func hostMemory() -> UInt64 {
        UInt64(max(0, sysconf(Int32(_SC_PHYS_PAGES)))) &* UInt64(max(0, sysconf(Int32(_SC_PAGESIZE))))
    }

    private func number(_ path: String) -> UInt64 {
        UInt64(read(path).trimmingWhitespace) ?? 0
    }

    static func keyValues(_ text: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = UInt64(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    /// A small kernel file, whole (empty when unreadable).
    private func read(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0 == " " || $0 == "\n" || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\n" || $0 == "\t" }.reversed())
    }
}
