import RunnelCore

/// The counters of one `GET /containers/{id}/stats` sample that the stats input reports, for
/// cgroup v1 (`memory_stats.stats.rss`, `cache`, `total_inactive_file`) and v2 (`anon`, `file`,
/// `inactive_file`).
public struct DockerStatsSample: Sendable, Equatable {
    public struct CPU: Sendable, Equatable {
        /// Nanoseconds of CPU the container used, all CPUs together.
        public var totalUsage: UInt64
        /// Nanoseconds of all CPUs of the host (`system_cpu_usage`); 0 when Docker did not say.
        public var systemUsage: UInt64
        public var onlineCPUs: Int

        public init(totalUsage: UInt64, systemUsage: UInt64, onlineCPUs: Int) {
            self.totalUsage = totalUsage
            self.systemUsage = systemUsage
            self.onlineCPUs = onlineCPUs
        }
    }

    /// When Docker read the counters (ns).
    public var read: Int64
    public var cpu: CPU
    /// The previous reading Docker attached (`precpu_stats`), nil when empty (one-shot samples).
    public var previousCPU: CPU?
    public var memoryUsage: UInt64
    public var memoryLimit: UInt64
    public var memoryRSS: UInt64
    public var memoryCache: UInt64
    public var memoryInactiveFile: UInt64
    public var blockRead: UInt64
    public var blockWrite: UInt64
    public var networkReceived: UInt64
    public var networkSent: UInt64
    public var pids: UInt64

    public init(read: Int64, cpu: CPU, previousCPU: CPU? = nil, memoryUsage: UInt64 = 0, memoryLimit: UInt64 = 0,
                memoryRSS: UInt64 = 0, memoryCache: UInt64 = 0, memoryInactiveFile: UInt64 = 0, blockRead: UInt64 = 0,
                blockWrite: UInt64 = 0, networkReceived: UInt64 = 0, networkSent: UInt64 = 0, pids: UInt64 = 0) {
        self.read = read
        self.cpu = cpu
        self.previousCPU = previousCPU
        self.memoryUsage = memoryUsage
        self.memoryLimit = memoryLimit
        self.memoryRSS = memoryRSS
        self.memoryCache = memoryCache
        self.memoryInactiveFile = memoryInactiveFile
        self.blockRead = blockRead
        self.blockWrite = blockWrite
        self.networkReceived = networkReceived
        self.networkSent = networkSent
        self.pids = pids
    }

    public init(json: JSONValue) throws(DockerDecodingError) {
        guard json["cpu_stats"] != nil || json["memory_stats"] != nil else {
            throw DockerDecodingError("stats without cpu_stats or memory_stats")
        }
        func counter(_ value: JSONValue?) -> UInt64 {
            guard let number = value?.doubleValue, number.isFinite, number > 0, number < 1.8e19 else { return 0 }
            if case .integer(let integer)? = value { return UInt64(integer) }
            return UInt64(number)
        }
        func cpu(_ value: JSONValue?) -> CPU? {
            guard let value, let total = value["cpu_usage", "total_usage"], counter(total) > 0 || counter(value["system_cpu_usage"]) > 0
            else { return nil }
            var online = Int(counter(value["online_cpus"]))
            if online == 0 { online = value["cpu_usage", "percpu_usage"]?.arrayValue?.count ?? 0 }
            return CPU(totalUsage: counter(total), systemUsage: counter(value["system_cpu_usage"]), onlineCPUs: online)
        }
        read = (json["read"]?.stringValue).flatMap { DockerTimestamp.parse(Array($0.utf8)) } ?? 0
        self.cpu = cpu(json["cpu_stats"]) ?? CPU(totalUsage: 0, systemUsage: 0, onlineCPUs: 0)
        previousCPU = cpu(json["precpu_stats"])
        let memory = json["memory_stats"]
        let stats = memory?["stats"]
        memoryUsage = counter(memory?["usage"])
        memoryLimit = counter(memory?["limit"])
        // cgroup v1 names first, v2 names when v1's are absent.
        memoryRSS = counter(stats?["rss"] ?? stats?["anon"])
        memoryCache = counter(stats?["cache"] ?? stats?["file"])
        memoryInactiveFile = counter(stats?["total_inactive_file"] ?? stats?["inactive_file"])
        var blockRead: UInt64 = 0
        var blockWrite: UInt64 = 0
        for entry in json["blkio_stats", "io_service_bytes_recursive"]?.arrayValue ?? [] {
            switch entry["op"]?.stringValue?.lowercased() {
            case "read": blockRead &+= counter(entry["value"])
            case "write": blockWrite &+= counter(entry["value"])
            default: break
            }
        }
        self.blockRead = blockRead
        self.blockWrite = blockWrite
        var received: UInt64 = 0
        var sent: UInt64 = 0
        for network in json["networks"]?.members ?? [] {
            received &+= counter(network.value["rx_bytes"])
            sent &+= counter(network.value["tx_bytes"])
        }
        networkReceived = received
        networkSent = sent
        pids = counter(json["pids_stats", "current"])
    }
}
