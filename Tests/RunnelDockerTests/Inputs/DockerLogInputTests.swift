import Foundation
import Testing
import RunnelCore
import RunnelHTTP
@testable import RunnelDocker

/// DockerLogInput against a fake daemon: behaviour a real dockerd cannot be made to show on
/// demand (absent at start, answering in odd ways).
@Suite(.timeLimit(.minutes(1))) struct DockerLogInputTests {
    static let id = String(repeating: "5e", count: 32)

    static func inspect(tty: Bool = false, running: Bool = false, env: [String] = ["MARATHON_APP_ID=/shop/cart", "OTHER=x"]) -> HTTPResponse {
        let envJSON = env.map { "\"\($0)\"" }.joined(separator: ",")
        return .json(200, Array("""
            {"Id":"\(id)","Name":"/cart-1","Config":{"Image":"shop/cart:3","Env":[\(envJSON)],"Labels":{"team":"shop"},"Tty":\(tty)},
             "State":{"Status":"\(running ? "running" : "exited")","Running":\(running),"Pid":0,"StartedAt":"2026-01-01T00:00:00Z"}}
            """.utf8))
    }

    /// A daemon with one running container whose log is `logs`; the event stream stays open.
    static func daemon(socketPath: String = FakeDockerAPI.temporarySocketPath(), logs: [UInt8],
                       requests: SharedPaths = SharedPaths(), inspect: HTTPResponse = inspect()) async throws -> FakeDockerAPI {
        try await FakeDockerAPI(socketPath: socketPath) { request in
            requests.append(request.path + (request.query.isEmpty ? "" : "?" + request.query))
            switch request.path {
            case "/version": return FakeDockerAPI.version("1.41")
            case "/v1.41/events":
                return HTTPResponse(status: 200, body: .stream(AsyncStream { _ in }))
            case "/v1.41/containers/json":
                return .json(200, Array("[{\"Id\":\"\(id)\",\"Names\":[\"/cart-1\"],\"State\":\"running\",\"Created\":1}]".utf8))
            case "/v1.41/containers/\(id)/json": return inspect
            case "/v1.41/containers/\(id)/logs": return HTTPResponse(status: 200, body: .bytes(logs))
            default: return .json(404, Array("{\"message\":\"no such thing\"}".utf8))
            }
        }
    }

    static func input(_ endpoint: String, selection: ContainerFieldSelection = ContainerFieldSelection(fieldsFromEnv: ["MARATHON_APP_ID"])) throws -> DockerLogInput {
        var options = DockerLogInput.Options(endpoint: try HTTPEndpoint(parsing: endpoint), selection: selection)
        options.retry = RetryPolicy(delay: .milliseconds(20), maxDelay: .milliseconds(100), maxJitter: .milliseconds(10), maxRetries: -1)
        return DockerLogInput(options: options)
    }

    @Test func messagesCarryDockersTimestampAndTheContainersFields() async throws {
        let api = try await Self.daemon(logs: DockerLogBytes.numbered(10))
        let harness = try DockerInputHarness()
        defer { harness.remove() }
        let sink = MessageSink()
        let checkpoints = harness.checkpoints()
        let task = Task { try await Self.input(api.endpoint).run(harness.context(checkpoints: checkpoints)) }
        await harness.collect(into: sink, timeout: .seconds(10)) { $0.count >= 10 }
        task.cancel()
        await api.stop()
        let messages = sink.messages
        #expect(messages.map(\.payloadText) == (0..<10).map { "line \($0)" })
        #expect(messages.map { $0.logger?.string } == (0..<10).map { $0 % 2 == 0 ? "stdout" : "stderr" })
        #expect(messages.first?.timestamp == 1_795_637_038_000_000_000)
        let first = try #require(messages.first)
        #expect(first.type?.string == "DockerLog")
        #expect(first.fields.map { $0.name.string } == ["ContainerID", "ContainerName", "ContainerImage", "MARATHON_APP_ID"])
        #expect(first.stringField("ContainerID") == String(Self.id.prefix(12)))
        #expect(first.stringField("ContainerName") == "cart-1")
        #expect(first.stringField("ContainerImage") == "shop/cart:3")
        #expect(first.stringField("MARATHON_APP_ID") == "/shop/cart")
        // Both streams are checkpointed once the batch is confirmed.
        let committed = checkpoints.committed
        #expect(committed["\(Self.id)/stdout"] == [1_795_637_038_000_008_000, 1])
        #expect(committed["\(Self.id)/stderr"] == [1_795_637_038_000_009_000, 1])
    }

    /// The agent starts without dockerd: the input waits, retrying with backoff, logs the outage
    /// once (not per retry), and reads as soon as the daemon appears.
    @Test func startsWithoutDockerdAndLogsTheOutageOnce() async throws {
        let socket = FakeDockerAPI.temporarySocketPath()
        let harness = try DockerInputHarness()
        defer { harness.remove() }
        let logs = LogRecorder()
        let sink = MessageSink()
        let task = Task { try await Self.input("unix://" + socket).run(harness.context(checkpoints: harness.checkpoints(), logs: logs)) }
        // Retries come every 20-100 ms; a busy machine may take a while for the first one.
        let deadline = ContinuousClock.now + .seconds(20)
        while logs.count(.warning, containing: "dockerd unreachable") == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(800))
        #expect(logs.count(.warning, containing: "dockerd unreachable") == 1)
        let api = try await Self.daemon(socketPath: socket, logs: DockerLogBytes.numbered(4))
        await harness.collect(into: sink, timeout: .seconds(30)) { $0.count >= 4 }
        task.cancel()
        await api.stop()
        #expect(sink.messages.count == 4)
        #expect(logs.count(.info, containing: "dockerd reachable again") == 1)
        #expect(logs.count(.warning, containing: "dockerd unreachable") == 1)
    }

    @Test func includeAndExcludeSelectContainersByTheirFields() async throws {
        let api = try await Self.daemon(logs: DockerLogBytes.numbered(3))
        let harness = try DockerInputHarness()
        defer { harness.remove() }
        for (include, exclude, expected) in [("Fields[MARATHON_APP_ID] =~ /^\\/shop/", nil, 3), (nil, "Fields[ContainerImage] == 'shop/cart:3'", 0),
                                             ("Fields[MARATHON_APP_ID] == '/other'", nil, 0)] as [(String?, String?, Int)] {
            let selection = ContainerFieldSelection(fieldsFromEnv: ["MARATHON_APP_ID"], include: try include.map { try MessageMatcher($0) },
                                                    exclude: try exclude.map { try MessageMatcher($0) })
            let sink = MessageSink()
            let task = Task { try await Self.input(api.endpoint, selection: selection).run(harness.context(checkpoints: harness.checkpoints(name: UUID().uuidString))) }
            await harness.collect(into: sink, timeout: .milliseconds(expected == 0 ? 700 : 5000)) { $0.count >= 3 }
            task.cancel()
            #expect(sink.messages.count == expected, "include \(include ?? "-") exclude \(exclude ?? "-")")
        }
        await api.stop()
    }

    @Test func nameFromEnvVarAndLabels() throws {
        let details = try DockerContainerDetails(json: try JSONReader.parse(Self.inspect().bodyBytes))
        let selection = ContainerFieldSelection(fieldsFromEnv: ["MISSING", "OTHER"], fieldsFromLabels: ["team", "absent"], nameFromEnvVar: "MARATHON_APP_ID")
        let metadata = try #require(selection.metadata(for: details, type: "DockerLog", hostname: "h"))
        #expect(metadata.name == "/shop/cart")
        #expect(metadata.fields.map { $0.name.string } == ["ContainerID", "ContainerName", "ContainerImage", "OTHER", "team"])
    }

    /// A configured splitter cuts each stream's lines differently (here: two lines per record).
    @Test func aConfiguredSplitterGroupsLines() async throws {
        let api = try await Self.daemon(logs: DockerLogBytes.numbered(8))
        let harness = try DockerInputHarness()
        defer { harness.remove() }
        let sink = MessageSink()
        let checkpoints = harness.checkpoints()
        let context = harness.context(checkpoints: checkpoints, splitter: { TokenSplitter(delimiter: 0x0A, count: 2, startOffset: $0) })
        let task = Task { try await Self.input(api.endpoint).run(context) }
        await harness.collect(into: sink, timeout: .seconds(10)) { $0.count >= 4 }
        task.cancel()
        await api.stop()
        #expect(sink.messages.map(\.payloadText) == ["line 0\nline 2", "line 4\nline 6", "line 1\nline 3", "line 5\nline 7"]
                || Set(sink.messages.map(\.payloadText)) == ["line 0\nline 2", "line 4\nline 6", "line 1\nline 3", "line 5\nline 7"])
        #expect(checkpoints.committed["\(Self.id)/stdout"] == [1_795_637_038_000_006_000, 1])
    }

    /// A frame the decoder rejects ends that pass; the input reconnects from its position rather
    /// than crashing or skipping ahead.
    @Test func garbageInALogStreamIsRetriedFromThePosition() async throws {
        let requests = SharedPaths()
        let good = DockerLogBytes.numbered(4)
        let api = try await Self.daemon(logs: good + [9, 9, 9, 9, 0, 0, 0, 1, 0x41], requests: requests)
        let harness = try DockerInputHarness()
        defer { harness.remove() }
        let sink = MessageSink()
        let task = Task { try await Self.input(api.endpoint).run(harness.context(checkpoints: harness.checkpoints())) }
        await harness.collect(into: sink, timeout: .seconds(10)) { _ in requests.all.filter { $0.contains("/logs") }.count >= 3 }
        await harness.collect(into: sink, timeout: .milliseconds(200)) { _ in false }
        task.cancel()
        await api.stop()
        #expect(sink.messages.map(\.payloadText) == (0..<4).map { "line \($0)" })
        let logRequests = requests.all.filter { $0.contains("/logs") }
        #expect(logRequests.count >= 3)
        // Retries ask from the last position read, not from the beginning.
        #expect(logRequests.dropFirst().allSatisfy { $0.contains("since=1795637038.000002000") || $0.contains("since=1795637036.000003000") })
    }
}

extension HTTPResponse {
    var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}
