import RunnelCore
import RunnelHTTP

/// Every container's stdout and stderr, one `DockerLog` message per line (Heka's DockerLogInput,
/// with checkpoints): Logger `stdout`/`stderr`, Timestamp Docker's own, Payload the line, fields
/// `ContainerID`, `ContainerName`, `ContainerImage` and the requested env vars and labels.
///
/// - Containers running at start are followed, then every container that starts (`/events`);
///   a container that stops is read to its end.
/// - Each stream's checkpoint is Docker's timestamp and how many entries carried it, moved only
///   past lines the outputs confirmed; a restart resumes with `since=` and skips what was
///   delivered. Containers that exited while the agent was away are drained.
/// - dockerd down: retries with backoff and jitter, logging once per change of state; the agent
///   runs meanwhile.
public struct DockerLogInput: InputPlugin, DefaultSplitterProviding {
    /// Where container logs are read from.
    public enum LogSource: String, Sendable, CaseIterable {
        /// `GET /containers/{id}/logs`: works wherever the API is reachable.
        case api
        /// The containers' `json-file` log files, read directly; fails for a container whose
        /// file cannot be read.
        case jsonFile = "json-file"
        /// The file where it can be read, the API otherwise.
        case auto
    }

    public struct Options: Sendable {
        public var endpoint: HTTPEndpoint
        public var logSource: LogSource = .api
        /// Where the daemon's `containers` folder is mounted when it is not at the path the daemon
        /// reports (an agent in a container); nil uses the reported `LogPath`.
        public var jsonFileRoot: String?
        public var selection: ContainerFieldSelection
        /// Read the whole log of containers found running at the very first start (no checkpoint
        /// and no earlier run); when false, they are read from that moment on.
        public var newContainersReplayLogs = true
        /// Checkpoints of containers not read for longer are dropped.
        public var containerExpiry: Duration = .seconds(30 * 86_400)
        /// How often the input records that it knows the daemon's containers.
        public var aliveInterval: Duration = .seconds(5)
        public var retry: RetryPolicy = .heka
        public var maxBatchMessages = 1024
        public var maxBatchBytes = 1 << 20
        public var idleStreamLag: Duration = .seconds(2)

        public init(endpoint: HTTPEndpoint, selection: ContainerFieldSelection = ContainerFieldSelection()) {
            self.endpoint = endpoint
            self.selection = selection
        }
    }

    public let options: Options
    private let client: DockerClient
    /// Survives restarts of `run` by the supervisor: reading resumes where it stopped.
    private let positions = DockerReadPositions()

    public init(options: Options, http: CurlHTTPClient = .shared) {
        self.options = options
        client = DockerClient(endpoint: options.endpoint, http: http)
    }

    public func run(_ context: InputContext) async throws {
        positions.adopt(context.checkpoints.committed)
        let watcher = options.logSource == .api ? nil : FileChangeWatcher()
        defer { watcher?.stop() }
        let runner = DockerLogRunner(options: options, context: context, client: client, positions: positions, fileWatcher: watcher)
        await runner.run()
    }

    public func defaultSplitter(limits: SplitterLimits) -> SplitterFactory {
        { _ in DockerLineFraming() }
    }
}
