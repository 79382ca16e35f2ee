import Foundation
import RunnelCore
import RunnelElasticsearch
import RunnelTestSupport
import Testing

/// HTTPS with `[X.tls] root_cafile`: a bulk server (Benchmarks/elasticsearch/bulk_server.py, Python's
/// ssl) with a self-signed certificate made by `openssl` for 127.0.0.1. With the certificate as CA
/// file every message is stored; with the system's CAs the handshake fails and nothing is
/// confirmed or dropped.
@Suite(.serialized, .enabled(if: ESIntegration.enabled)) struct ESTLSTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func caFileIsTrustedAndTheSystemStoreIsNot() async throws {
        let scratch = try ScratchFolder()
        let folder = scratch.url.path
        #expect(try Self.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem"]) == 0)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Self.repository.path + "/Benchmarks/elasticsearch/bulk_server.py", folder + "/port",
                            folder + "/cert.pem", folder + "/key.pem"]
        // Not the test's own output pipe: the test runner waits for it to close.
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the test process blocks SIGTERM in its threads, and children inherit the mask.
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(10)
        var port = ""
        while port.isEmpty && ContinuousClock.now < deadline {
            port = (try? String(contentsOfFile: folder + "/port", encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(20))
        }
        let url = "https://127.0.0.1:\(try #require(Int(port)))"

        let trusted = try OutputHarness(encoder: try ElasticsearchOutputTests.encoder())
        defer { trusted.remove() }
        var options = trusted.options(server: url)
        options.tls.caFile = folder + "/cert.pem"
        try await ElasticsearchOutputTests.run(trusted, ElasticsearchOutput(options: options), feed: [ElasticsearchOutputTests.messages(100)], expect: 100)
        #expect(trusted.delivered == 100)

        let untrusted = try OutputHarness(encoder: try ElasticsearchOutputTests.encoder())
        defer { untrusted.remove() }
        let output = ElasticsearchOutput(options: untrusted.options(server: url))
        let task = Task { try await output.run(untrusted.context) }
        await untrusted.push(ElasticsearchOutputTests.messages(10))
        let failureDeadline = ContinuousClock.now + .seconds(20)
        while output.stats.snapshot.requestFailures == 0 && ContinuousClock.now < failureDeadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(output.stats.snapshot.requestFailures >= 1 && untrusted.settledMessages == 0)
        task.cancel()
        untrusted.queue.close()
        try await task.value
    }
}
