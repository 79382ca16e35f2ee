import Foundation
import Synchronization
import Testing
import RunnelHTTP
@testable import RunnelDocker

/// The API client against a fake daemon on a unix socket.
@Suite(.timeLimit(.minutes(1))) struct DockerClientTests {
    static let id = String(repeating: "ab", count: 32)

    @Test func negotiatesTheOlderServerVersion() async throws {
        let paths = SharedPaths()
        let api = try await FakeDockerAPI { request in
            paths.append(request.path + (request.query.isEmpty ? "" : "?" + request.query))
            if request.path == "/version" { return FakeDockerAPI.version("1.40") }
            return .json(200, Array("[{\"Id\":\"\(Self.id)\",\"Names\":[\"/web\"],\"State\":\"running\",\"Created\":5}, {\"bogus\":1}]".utf8))
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        let containers = try await client.containers(all: true)
        #expect(containers.map(\.name) == ["web"])
        #expect(try await client.apiVersion() == "1.40")
        #expect(paths.all == ["/version", "/v1.40/containers/json?all=1"])
        await api.stop()
    }

    @Test func newerServerIsSpokenToIn141() async throws {
        let api = try await FakeDockerAPI { request in
            request.path == "/version" ? FakeDockerAPI.version("1.45") : .text(500, "unexpected")
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        #expect(try await client.apiVersion() == "1.41")
        #expect(DockerClient.compare("1.9", "1.41") < 0)
        await api.stop()
    }

    @Test func errorStatusesCarryDockersMessage() async throws {
        let api = try await FakeDockerAPI { request in
            if request.path == "/version" { return FakeDockerAPI.version("1.41") }
            if request.path.hasSuffix("/json") { return .json(404, Array("{\"message\":\"No such container: x\"}".utf8)) }
            return .json(500, Array("{\"message\":\"boom\"}".utf8))
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        do {
            _ = try await client.inspect(Self.id)
            Issue.record("expected notFound")
        } catch let error as DockerAPIError {
            #expect(error.kind == .notFound)
            #expect(error.message == "No such container: x")
            #expect(error.description.contains("/v1.41/containers/\(Self.id)/json"))
        }
        do {
            _ = try await client.stats(Self.id)
            Issue.record("expected an error status")
        } catch let error as DockerAPIError {
            #expect(error.kind == .status && error.status == 500 && error.message == "boom")
        }
        await api.stop()
    }

    @Test func unreachableDaemon() async throws {
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: "unix://" + NSTemporaryDirectory() + "absent.sock"))
        do {
            _ = try await client.version()
            Issue.record("expected unreachable")
        } catch let error as DockerAPIError {
            #expect(error.kind == .unreachable)
        }
    }

    @Test func eventsStreamDecodesLinesAcrossChunks() async throws {
        let fixture = try DockerFixtures.bytes("docker_events_stream.jsonl")
        let query = SharedPaths()
        let api = try await FakeDockerAPI { request in
            if request.path == "/version" { return FakeDockerAPI.version("1.41") }
            query.append(request.query)
            // Odd chunk sizes, so lines arrive in pieces.
            var chunks: [[UInt8]] = []
            var start = 0
            while start < fixture.count {
                chunks.append(Array(fixture[start..<min(fixture.count, start + 97)]))
                start += 97
            }
            return HTTPResponse(status: 200, body: .stream(AsyncStream { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }))
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        let events = try await client.events(filters: ["type": ["container"], "event": ["start", "die"]], since: 1_500_000_000_000_000_001)
        var actions: [String] = []
        for try await event in events { actions.append(event.action) }
        #expect(actions == ["kill", "kill", "die", "stop", "destroy"])
        let sent = try #require(query.all.first)
        #expect(sent.contains("since=1500000000.000000001"))
        #expect(sent.removingPercentEncoding?.contains("filters={\"event\":[\"start\",\"die\"],\"type\":[\"container\"]}") == true)
        await api.stop()
    }

    @Test func garbageInTheEventStreamIsAnInvalidResponse() async throws {
        let api = try await FakeDockerAPI { request in
            if request.path == "/version" { return FakeDockerAPI.version("1.41") }
            return .text(200, "{\"Action\":\"start\",\"id\":\"x\"}\nnot json\n")
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        var iterator = try await client.events(filters: [:]).makeAsyncIterator()
        #expect(try await iterator.next()?.action == "start")
        await #expect(throws: DockerAPIError.self) { _ = try await iterator.next() }
        await api.stop()
    }

    @Test func logsAreRequestedWithTimestampsAndSince() async throws {
        let query = SharedPaths()
        let body = DockerLogBytes.numbered(10)
        let api = try await FakeDockerAPI { request in
            if request.path == "/version" { return FakeDockerAPI.version("1.41") }
            query.append(request.path + "?" + request.query)
            return HTTPResponse(status: 200, body: .bytes(body))
        }
        let client = DockerClient(endpoint: try HTTPEndpoint(parsing: api.endpoint))
        let response = try await client.logs(Self.id, follow: true, since: 42)
        var decoder = DockerLogDecoder(framing: .multiplexed, maxLineBytes: 1000)
        for try await chunk in response { try decoder.consume(chunk) }
        try decoder.finish()
        #expect(decoder.takeLines().count == 10)
        #expect(query.all == ["/v1.41/containers/\(Self.id)/logs?stdout=1&stderr=1&timestamps=1&follow=1&since=0.000000042"])
        await api.stop()
    }
}

final class SharedPaths: Sendable {
    private let paths = Mutex<[String]>([])
    func append(_ path: String) { paths.withLock { $0.append(path) } }
    var all: [String] { paths.withLock { $0 } }
}
