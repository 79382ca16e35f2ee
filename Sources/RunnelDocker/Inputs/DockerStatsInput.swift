import RunnelCore
import RunnelHTTP

#if canImport(Glibc)
import Glibc
#endif

/// Resource usage of every running container every `ticker_interval`: one `DockerStats` message
/// per container with numeric fields (`cpuPercent`, `memUsage`, `memLimit`, `memRss`,
/// `memCache`, `memWorkingSet`, `rssPercent`, `blkioRead`, `blkioWrite`, `netRx`, `netTx`,
/// `pids`) and the same container fields as DockerLogInput. Logger is the container name.
///
/// Counters come from the Docker API, or from the cgroup filesystem when it is readable
/// (`source`): much cheaper per container, and the daemon does no work at all.
public struct DockerStatsInput: InputPlugin {
    public enum Source: String, Sendable, CaseIterable {
        /// `GET /containers/{id}/stats?stream=false`: works wherever the API is reachable.
        case api
        /// cgroup v1/v2 files and procfs; containers whose cgroup is not readable are skipped.
        case cgroupfs
        /// cgroupfs for containers whose cgroup is readable, the API for the others.
        case auto
    }

    public struct Options: Sendable {
        public var endpoint: HTTPEndpoint
        public var selection: ContainerFieldSelection
        public var tickerInterval: Duration = .seconds(10)
        public var source: Source = .auto
        public var cgroupRoot = "/sys/fs/cgroup"
        public var procRoot = "/proc"
        /// API calls in flight at once.
        public var concurrency = 8
        public var retry: RetryPolicy = .heka

        public init(endpoint: HTTPEndpoint, selection: ContainerFieldSelection = ContainerFieldSelection()) {
            self.endpoint = endpoint
            self.selection = selection
        }
    }

    public let options: Options
    private let client: DockerClient

    public init(options: Options, http: CurlHTTPClient = .shared) {
        self.options = options
        client = DockerClient(endpoint: options.endpoint, http: http)
    }

    public func run(_ context: InputContext) async throws {
        var collector = DockerStatsCollector(options: options, context: context, client: client)
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            await collector.collectOnce()
            let next = started + options.tickerInterval
            if clock.now < next { try? await Task.sleep(until: next, clock: clock) }
        }
    }
}

/// One DockerStatsInput run: the metadata and previous sample of each container it has seen.
struct DockerStatsCollector {
    let options: DockerStatsInput.Options
    let context: InputContext
    let client: DockerClient
    let connection: DockerConnectionLog
    let cgroups: CgroupStatsReader
    private var metadata: [String: ContainerMetadata?] = [:]
    private var previous: [String: DockerStatsSample] = [:]
    private var ids = MessageIDGenerator()
    private var oneShotSupported: Bool?

    init(options: DockerStatsInput.Options, context: InputContext, client: DockerClient) {
        self.options = options
        self.context = context
        self.client = client
        connection = DockerConnectionLog(logger: context.logger, plugin: context.name,
                                         endpoint: options.endpoint.unixSocketPath ?? options.endpoint.baseURL)
        cgroups = CgroupStatsReader(cgroupRoot: options.cgroupRoot, procRoot: options.procRoot)
    }

    /// Samples every running container once and delivers the messages as one batch.
    mutating func collectOnce() async {
        let running: [DockerContainerSummary]
        do {
            running = try await client.containers()
            let api = try await client.apiVersion()
            oneShotSupported = DockerClient.compare(api, "1.41") >= 0
            connection.noteUp(apiVersion: api)
        } catch {
            client.resetNegotiation()
            connection.noteDown(error, retryIn: options.tickerInterval)
            return
        }
        let runningIDs = Set(running.map(\.id))
        metadata = metadata.filter { runningIDs.contains($0.key) }
        previous = previous.filter { runningIDs.contains($0.key) }

        var containers: [ContainerMetadata] = []
        for container in running {
            if metadata[container.id] == nil {
                guard let details = try? await client.inspect(container.id) else { continue }
                metadata[container.id] = .some(options.selection.metadata(for: details, type: "DockerStats", hostname: context.hostname))
            }
            if case .some(.some(let found)) = metadata[container.id] { containers.append(found) }
        }

        let samples = await sample(containers)
        var messages: [Message] = []
        messages.reserveCapacity(samples.count)
        for container in containers {
            guard let sample = samples[container.id] else { continue }
            let figures = DockerStatsFigures(sample, previous: previous[container.id])
            previous[container.id] = sample
            messages.append(message(container, figures, timestamp: sample.read != 0 ? sample.read : WallClock.nowNanoseconds()))
        }
        if !messages.isEmpty { await context.deliver(messages) }
    }

    private mutating func sample(_ containers: [ContainerMetadata]) async -> [String: DockerStatsSample] {
        var results: [String: DockerStatsSample] = [:]
        var viaAPI = containers.map(\.id)
        if options.source != .api {
            let reader = cgroups
            let ids = viaAPI
            let unseen = ids.filter { previous[$0] == nil }
            // Containers seen for the first time are read twice, a moment apart, so their first
            // message has a CPU figure too.
            let (read, earlier) = await onOwnThread { () -> ([String: DockerStatsSample], [String: DockerStatsSample]) in
                var earlier: [String: DockerStatsSample] = [:]
                if !unseen.isEmpty {
                    let now = WallClock.nowNanoseconds()
                    for id in unseen { earlier[id] = reader.sample(id, now: now) }
                    usleep(250_000)
                }
                var found: [String: DockerStatsSample] = [:]
                let now = WallClock.nowNanoseconds()
                for id in ids { found[id] = reader.sample(id, now: now) }
                return (found, earlier)
            }
            previous.merge(earlier) { current, _ in current }
            results = read
            viaAPI = options.source == .auto ? ids.filter { read[$0] == nil } : []
        }
        guard !viaAPI.isEmpty else { return results }
        let client = client
        let oneShot = oneShotSupported ?? false
        let known = Set(previous.keys)
        let width = max(1, options.concurrency)
        await withTaskGroup(of: (String, DockerStatsSample?).self) { group in
            var pending = viaAPI[...]
            func launch(_ group: inout TaskGroup<(String, DockerStatsSample?)>) {
                guard let id = pending.popFirst() else { return }
                // The first sample waits for Docker's own second reading, so it has a CPU figure.
                let quick = oneShot && known.contains(id)
                group.addTask { (id, try? await client.stats(id, oneShot: quick)) }
            }
            for _ in 0..<width { launch(&group) }
            while let (id, sample) = await group.next() {
                if let sample { results[id] = sample }
                launch(&group)
            }
        }
        return results
    }

    private static let type: ByteString = "DockerStats"

    private mutating func message(_ container: ContainerMetadata, _ figures: DockerStatsFigures, timestamp: Int64) -> Message {
        var message = Message(uuid: ids.uuid(), timestamp: timestamp, type: Self.type, logger: ByteString(container.name),
                              hostname: context.hostname)
        var fields = container.fields
        if let cpu = figures.cpuPercent { fields.append(.double("cpuPercent", cpu)) }
        fields.append(.integer("memUsage", Int64(clamping: figures.memUsage)))
        fields.append(.integer("memLimit", Int64(clamping: figures.memLimit)))
        fields.append(.integer("memRss", Int64(clamping: figures.memRss)))
        fields.append(.integer("memCache", Int64(clamping: figures.memCache)))
        fields.append(.integer("memWorkingSet", Int64(clamping: figures.memWorkingSet)))
        fields.append(.double("rssPercent", figures.rssPercent))
        fields.append(.integer("blkioRead", Int64(clamping: figures.blkioRead)))
        fields.append(.integer("blkioWrite", Int64(clamping: figures.blkioWrite)))
        fields.append(.integer("netRx", Int64(clamping: figures.netRx)))
        fields.append(.integer("netTx", Int64(clamping: figures.netTx)))
        fields.append(.integer("pids", Int64(clamping: figures.pids)))
        message.fields = fields
        return message
    }
}
