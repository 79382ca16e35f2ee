/// The figures a DockerStats message carries, computed from samples the way `docker stats` does.
public struct DockerStatsFigures: Sendable, Equatable {
    /// Share of one CPU used over the interval × 100 (so 2 busy CPUs read 200): Docker's formula,
    /// Δcontainer ÷ Δsystem × online CPUs × 100. Nil without an earlier reading to compare with.
    public var cpuPercent: Double?
    public var memUsage: UInt64
    public var memLimit: UInt64
    public var memRss: UInt64
    public var memCache: UInt64
    /// Usage minus inactive page cache: what `docker stats` shows as MEM USAGE.
    public var memWorkingSet: UInt64
    /// memRss ÷ memLimit × 100: unlike usage it leaves page cache out, so it does not raise false
    /// alarms for containers that only read files.
    public var rssPercent: Double
    public var blkioRead: UInt64
    public var blkioWrite: UInt64
    public var netRx: UInt64
    public var netTx: UInt64
    public var pids: UInt64

    /// - Parameter previous: an earlier sample of the same container, used when the sample carries
    ///   no `precpu_stats` of its own (one-shot samples, cgroupfs readings).
    public init(_ sample: DockerStatsSample, previous: DockerStatsSample? = nil) {
        let before = sample.previousCPU ?? previous?.cpu
        cpuPercent = before.flatMap { Self.cpuPercent(from: $0, to: sample.cpu) }
        memUsage = sample.memoryUsage
        memLimit = sample.memoryLimit
        memRss = sample.memoryRSS
        memCache = sample.memoryCache
        memWorkingSet = sample.memoryInactiveFile < sample.memoryUsage ? sample.memoryUsage - sample.memoryInactiveFile : sample.memoryUsage
        rssPercent = sample.memoryLimit > 0 ? Double(sample.memoryRSS) / Double(sample.memoryLimit) * 100 : 0
        blkioRead = sample.blockRead
        blkioWrite = sample.blockWrite
        netRx = sample.networkReceived
        netTx = sample.networkSent
        pids = sample.pids
    }

    static func cpuPercent(from before: DockerStatsSample.CPU, to after: DockerStatsSample.CPU) -> Double? {
        guard after.totalUsage >= before.totalUsage, after.systemUsage > before.systemUsage else { return nil }
        let container = Double(after.totalUsage - before.totalUsage)
        let system = Double(after.systemUsage - before.systemUsage)
        let cpus = Double(max(1, after.onlineCPUs))
        return container / system * cpus * 100
    }
}
