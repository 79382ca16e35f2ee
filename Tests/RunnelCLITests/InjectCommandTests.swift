import Foundation
import RunnelCore
import RunnelTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `runnel inject` (Heka's heka-inject) as a real process, sending to a real listening socket.
@Suite struct InjectCommandTests {
    /// A listener on 127.0.0.1 that accepts one connection and reads it to its end, on a thread of
    /// its own (blocking socket calls never run on the cooperative pool).
    final class OneConnectionListener: Sendable {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.descriptor = descriptor
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(descriptor, generic, length) == 0 && listen(descriptor, 4) == 0
                        && getsockname(descriptor, generic, &length) == 0
                }
            }
            guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }

        /// Everything the first client sends until it closes (or 10 s of silence).
        func receive() async -> [UInt8] {
            await onOwnThread { [descriptor] in
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return [] }
                defer { close(client) }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var received: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break }
                    received += chunk[0..<count]
                }
                return received
            }
        }
    }

    static func decodeFrames(_ bytes: [UInt8]) -> [Message] {
        var reader = HekaStreamReader()
        reader.append(bytes)
        var messages: [Message] = []
        while let item = reader.next() {
            if case .frame(let frame) = item, let message = try? MessageProtobuf.decode(frame.messageBytes) { messages.append(message) }
        }
        return messages
    }

    @Test func sendsTheBuiltMessageHekaFramed() async throws {
        let listener = try OneConnectionListener()
        async let received = listener.receive()
        let result = try await RunnelProcess.run([
            "inject", "--address", "127.0.0.1:\(listener.port)", "--type", "test.inject", "--payload", "hello",
            "--logger", "tester", "--hostname", "box", "--severity", "3", "--pid", "42",
            "--field", "app=web", "--field", "code:int=503", "--field", "ratio:double=1.5", "--field", "ok:bool=true",
            "--field", "app=second", "--count", "3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let messages = Self.decodeFrames(await received)
        #expect(messages.count == 3)
        let message = try #require(messages.first)
        #expect(message.type == "test.inject")
        #expect(message.payload == "hello")
        #expect(message.logger == "tester")
        #expect(message.hostname == "box")
        #expect(message.severity == 3)
        #expect(message.pid == 42)
        #expect(message.fields == [.string("app", "web"), .integer("code", 503), .double("ratio", 1.5), .bool("ok", true),
                                   .string("app", "second")])
        #expect(message.uuid != nil)
        #expect(message.timestamp > 0)
        #expect(Set(messages.compactMap(\.uuid)).count == 3)  // a fresh uuid each
    }

    @Test func headerDefaultsFollowHekaInject() async throws {
        let listener = try OneConnectionListener()
        async let received = listener.receive()
        let result = try await RunnelProcess.run(["inject", "--heka", "127.0.0.1:\(listener.port)"])
        #expect(result.status == 0, "\(result.stderr)")
        let message = try #require(Self.decodeFrames(await received).first)
        #expect(message.type == "inject.message")
        #expect(message.logger == "Inject Client")
        #expect(message.severity == 7)
        #expect(message.pid != nil)
        #expect(message.hostname?.string == ProcessInfo.processInfo.hostName)
    }

    @Test func badFieldsAndUnreachableListenersFail() async throws {
        let badField = try await RunnelProcess.run(["inject", "--field", "n:int=three"])
        #expect(badField.status != 0)
        #expect(badField.stderr.contains("'three' is not an integer"))
        let port = try OneConnectionListener().port  // closed again at once: nothing listens there
        let unreachable = try await RunnelProcess.run(["inject", "--address", "127.0.0.1:\(port)"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot send to 127.0.0.1:\(port)"))
    }
}
