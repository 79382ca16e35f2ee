import Foundation
import Testing
import RunnelHTTP
import RunnelTestSupport
import RunnelCore

/// HTTPS with a private CA and a client certificate (Docker's `cert_path` setup), against
/// `openssl s_server` requiring client certificates.
@Suite(.timeLimit(.minutes(1))) struct CurlTLSTests {
    /// Runs a command to completion on a thread of its own; its exit status.
    static func run(_ arguments: [String], in folder: String) async -> Int32 {
        await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return -1 }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, as Docker names them.
    static func makeCertificates(in folder: String) async throws {
        let steps: [[String]] = [
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
             "-keyout", "ca-key.pem", "-out", "ca.pem"],
            ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server-key.pem", "-out", "server.csr"],
            ["sh", "-c", "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext"],
            ["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-days", "2", "-extfile", "san.ext", "-out", "server-cert.pem"],
            ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=client", "-keyout", "key.pem", "-out", "client.csr"],
            ["openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
             "-days", "2", "-out", "cert.pem"],
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
             "-keyout", "other-key.pem", "-out", "other-ca.pem"],
            ["sh", "-c", "printf 'hello over tls\\n' > hello.txt"],
        ]
        for step in steps {
            let status = await run(step, in: folder)
            try #require(status == 0, "\(step.joined(separator: " ")) exited \(status)")
        }
    }

    @Test func clientCertificateAndPrivateCA() async throws {
        let scratch = try ScratchFolder()
        let folder = scratch.url.path
        try await Self.makeCertificates(in: folder)
        let port = try LoopbackPort.ephemeral()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server-cert.pem", "-key", "server-key.pem",
                            "-CAfile", "ca.pem", "-Verify", "1", "-WWW", "-quiet"]
        server.currentDirectoryURL = scratch.url
        server.standardInput = FileHandle.nullDevice
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL) }

        let client = CurlHTTPClient(threadName: "curl-tls-test")
        defer { client.shutdown() }
        let dockerStyle = TLSOptions(caFile: folder + "/ca.pem", certificateFile: folder + "/cert.pem", keyFile: folder + "/key.pem")
        let endpoint = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(port)", tls: dockerStyle)
        #expect(endpoint.baseURL.hasPrefix("https://"))

        // s_server needs a moment to listen.
        var body: [UInt8]?
        let deadline = ContinuousClock.now + .seconds(10)
        while body == nil && ContinuousClock.now < deadline {
            if let response = try? await client.send(endpoint.request(path: "/hello.txt", timeout: .seconds(5))) {
                #expect(response.status == 200)
                body = response.body
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "hello over tls\n")

        // A server certificate from another CA is refused.
        let wrongCA = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(port)",
                                       tls: TLSOptions(caFile: folder + "/other-ca.pem", certificateFile: folder + "/cert.pem",
                                                       keyFile: folder + "/key.pem"))
        do {
            _ = try await client.send(wrongCA.request(path: "/hello.txt", timeout: .seconds(5)))
            Issue.record("a server certificate from an unknown CA was accepted")
        } catch let error as HTTPClientError {
            #expect(error.kind == .tls, "\(error)")
        }

        // Without a client certificate the server refuses the handshake.
        let anonymous = try HTTPEndpoint(parsing: "tcp://127.0.0.1:\(port)", tls: TLSOptions(caFile: folder + "/ca.pem"))
        do {
            let response = try await client.send(anonymous.request(path: "/hello.txt", timeout: .seconds(5)))
            Issue.record("served without a client certificate: \(response.status)")
        } catch let error as HTTPClientError {
            #expect(error.kind == .tls || error.kind == .transfer, "\(error)")
        }
    }
}
