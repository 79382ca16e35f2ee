import RunnelCore
import RunnelHTTP
import Synchronization

/// One `DockerEvent` message per event of the daemon (Heka's DockerEventInput): Logger the
/// object's id, Payload `id:… status:… from:… time:…`, fields `ID`, `Status`, `From`, `Time`
/// (as Heka), plus `Type`, `Action` and, for containers, `ContainerID`, `ContainerName`,
/// `ContainerImage` and the requested labels. Timestamp is the event's own time.
///
/// The last confirmed event is checkpointed (`events`: `[timeNano, events_with_that_time]`), so a
/// restart asks `/events?since=` and neither loses nor repeats what the daemon still remembers.
public struct DockerEventInput: InputPlugin {
    public struct Options: Sendable {
        public var endpoint: HTTPEndpoint
        /// Event types to keep (`container`, `image`, `network`, …); all when empty.
        public var types: [String] = []
        public var fieldsFromLabels: [String] = []
        public var retry: RetryPolicy = .heka

        public init(endpoint: HTTPEndpoint) {
            self.endpoint = endpoint
        }
    }

    static let checkpointKey = "events"

    public let options: Options
    private let client: DockerClient
    /// Where reading got to, across restarts of `run`.
    private let position = DockerEventPosition()

    public init(options: Options, http: CurlHTTPClient = .shared) {
        self.options = options
        client = DockerClient(endpoint: options.endpoint, http: http)
    }

    public func run(_ context: InputContext) async throws {
        if position.current == nil, let saved = context.checkpoints.committed[Self.checkpointKey].flatMap(DockerLogPosition.init(checkpoint:)) {
            position.current = saved
        }
        let connection = DockerConnectionLog(logger: context.logger, plugin: context.name,
                                             endpoint: options.endpoint.unixSocketPath ?? options.endpoint.baseURL)
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        var ids = MessageIDGenerator()
        while !Task.isCancelled {
            do {
                client.resetNegotiation()
                let api = try await client.apiVersion()
                let resume = position.current
                let filters = options.types.isEmpty ? [:] : ["type": options.types]
                let events = try await client.events(filters: filters, since: resume.map { max(0, $0.timestamp) })
                defer { events.cancel() }
                connection.noteUp(apiVersion: api)
                failures = 0
                var seenAtResume = 0
                for try await event in events {
                    // Events at the resume instant were partly delivered before: skip those.
                    if let resume, event.timeNano <= resume.timestamp {
                        if event.timeNano < resume.timestamp { continue }
                        seenAtResume += 1
                        if seenAtResume <= resume.entries { continue }
                    }
                    let next = position.advance(to: event.timeNano)
                    let message = Self.message(event, options: options, hostname: context.hostname, ids: &ids)
                    let checkpoints = context.checkpoints
                    let ticket = checkpoints.begin(stream: Self.checkpointKey, position: next.checkpoint)
                    await context.deliver([message]) { _ in checkpoints.settle(ticket) }
                }
                throw DockerAPIError(.transport, request: "GET /events", message: "the event stream ended")
            } catch {
                if Task.isCancelled { return }
                failures = connection.isUp ? 1 : failures + 1
                let wait = options.retry.wait(beforeAttempt: failures, using: &generator)
                connection.noteDown(error, retryIn: wait)
                try? await Task.sleep(for: wait)
            }
        }
    }

    static func message(_ event: DockerEvent, options: Options, hostname: ByteString, ids: inout MessageIDGenerator) -> Message {
        let seconds = event.timeNano / 1_000_000_000
        var message = Message(uuid: ids.uuid(), timestamp: event.timeNano, type: "DockerEvent", logger: ByteString(event.id),
                              payload: ByteString("id:\(event.id) status:\(event.action) from:\(event.from) time:\(seconds)"),
                              hostname: hostname)
        message.fields = [
            .string("ID", ByteString(event.id)),
            .string("Status", ByteString(event.action)),
            .string("From", ByteString(event.from)),
            .string("Time", ByteString(String(seconds))),
            .string("Type", ByteString(event.type)),
            .string("Action", ByteString(event.action)),
        ]
        if event.type == "container" {
            message.fields.append(.string("ContainerID", ByteString(DockerContainerID.short(event.id))))
            if let name = event.attributes["name"] { message.fields.append(.string("ContainerName", ByteString(name))) }
            if let image = event.attributes["image"] { message.fields.append(.string("ContainerImage", ByteString(image))) }
            if let exitCode = event.attributes["exitCode"], let code = Int64(exitCode) { message.fields.append(.integer("ExitCode", code)) }
        }
        for label in options.fieldsFromLabels {
            if let value = event.attributes[label] { message.fields.append(.string(ByteString(label), ByteString(value))) }
        }
        return message
    }
}

/// The event input's read position, kept across restarts of its run.
final class DockerEventPosition: Sendable {
    private let state = Mutex<DockerLogPosition?>(nil)

    var current: DockerLogPosition? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// Counts one more event at `time`.
    func advance(to time: Int64) -> DockerLogPosition {
        state.withLock { position in
            if let current = position, current.timestamp == time {
                position = DockerLogPosition(timestamp: time, entries: current.entries + 1)
            } else {
                position = DockerLogPosition(timestamp: max(time, position?.timestamp ?? time), entries: 1)
            }
            return position!
        }
    }
}
