import Foundation
import RunnelHTTP

/// A stand-in Docker Engine API on a unix socket, answering from a closure: for client behaviour
/// that a real daemon cannot be made to show on demand (old API versions, errors, broken JSON).
final class FakeDockerAPI: Sendable {
    let server: HTTPServer
    let socketPath: String

    var endpoint: String { "unix://" + socketPath }

    init(socketPath: String = FakeDockerAPI.temporarySocketPath(), handler: @escaping HTTPServer.Handler) async throws {
        self.socketPath = socketPath
        server = try await HTTPServer.start(unixSocketPath: socketPath, handler: handler)
    }

    func stop() async {
        await server.stop()
        unlink(socketPath)
    }

    static func temporarySocketPath() -> String {
        NSTemporaryDirectory() + "fd-\(UUID().uuidString.prefix(8)).sock"
    }

    static func version(_ api: String) -> HTTPResponse {
        .json(200, Array("{\"Version\":\"19.03\",\"ApiVersion\":\"\(api)\",\"MinAPIVersion\":\"1.12\"}".utf8))
    }
}
