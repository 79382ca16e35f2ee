import Foundation
import RunnelHTTP
import Synchronization

/// An upstream HTTP server on a free loopback port that answers through a closure and records
/// what it received.
final class TestUpstream: Sendable {
    let server: HTTPServer
    let name: String
    private let seen = Mutex<[HTTPRequest]>([])

    var port: Int { server.port }
    var requests: [HTTPRequest] { seen.withLock { $0 } }
    var requestCount: Int { seen.withLock { $0.count } }

    private init(server: HTTPServer, name: String) {
        self.server = server
        self.name = name
    }

    /// A server that answers `200 <name>` unless `respond` says otherwise.
    static func start(name: String, port: Int = 0,
                      respond: (@Sendable (HTTPRequest) async -> HTTPResponse)? = nil) async throws -> TestUpstream {
        let recorder = Recorder()
        let server = try await HTTPServer.start(host: "127.0.0.1", port: port) { request in
            recorder.upstream?.seen.withLock { $0.append(request) }
            if let respond { return await respond(request) }
            return .text(200, name)
        }
        let upstream = TestUpstream(server: server, name: name)
        recorder.upstream = upstream
        return upstream
    }

    func stop() async { await server.stop() }
}

/// Lets the server's handler reach the upstream object created after it.
private final class Recorder: Sendable {
    private let box = Mutex<TestUpstream?>(nil)
    var upstream: TestUpstream? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}
