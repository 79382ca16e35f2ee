#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Testing
@testable import RunnelRouter

/// A socket that takes less than it is given: what is left must wait, in order, for OUT.
@Suite struct PartialWriteTests {
    /// A connected pair: the first end nonblocking with a small send buffer (the proxy's side).
    private func socketPair() throws -> (proxySide: Int32, peer: Int32) {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        var size: Int32 = 16 * 1024
        _ = setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    /// Reads what the peer end has now.
    private func drain(_ fd: Int32, into received: inout [UInt8]) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { return }
            received += chunk[0..<count]
        }
    }

    /// The peer reads what it can and the proxy's side is told it may write, until `pending` is
    /// false (bounded rounds), then the peer reads the rest.
    private func receive(from peer: Int32, while pending: () -> Bool, writable: () -> Void) -> [UInt8] {
        var received: [UInt8] = []
        for _ in 0..<10_000 where pending() {
            drain(peer, into: &received)
            writable()
        }
        drain(peer, into: &received)
        return received
    }

    /// Equal, without printing a megabyte when not.
    private func sameBytes(_ received: [UInt8], _ expected: [UInt8]) -> Bool { received == expected }

    private func pattern(_ count: Int, seed: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) } }

    private func client(fd: Int32, loop: EpollLoop) -> ClientConnection {
        ClientConnection(fd: fd, clientIP: "127.0.0.1", loop: loop, shared: ProxyShared(routes: RouteStore(), defaults: ProxyDefaults(), accessLog: nil),
                         listener: ListenerConfig(address: BindAddress(host: "127.0.0.1", port: 0)), settings: ProxyDefaults())
    }

    @Test func aResponseTheClientSocketCannotTakeWaitsInOrderForOut() throws {
        let (proxySide, peer) = try socketPair()
        defer { close(peer) }
        let loop = try EpollLoop()
        let connection = client(fd: proxySide, loop: loop)
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n".utf8)
        let body = pattern(1 << 20, seed: 7)
        connection.out.writeBytes(head)
        body.withUnsafeBytes { connection.send($0) }  // head and body in one writev, cut short
        #expect(connection.isBacklogged)
        #expect(connection.out.readableBytes > 0)
        #expect(connection.out.readableBytes < head.count + body.count)
        let received = receive(from: peer, while: { connection.isBacklogged }, writable: { connection.ready(SocketCalls.epollOut) })
        #expect(!connection.isBacklogged)
        #expect(connection.out.readableBytes == 0)
        #expect(sameBytes(received, head + body))
        connection.closeNow()
    }

    @Test func smallPartsGatherUntilFlushedAndKeepOrderBehindAPartialWrite() throws {
        let (proxySide, peer) = try socketPair()
        defer { close(peer) }
        let loop = try EpollLoop()
        let connection = client(fd: proxySide, loop: loop)
        let large = pattern(512 * 1024, seed: 1), small = pattern(100, seed: 2)
        large.withUnsafeBytes { connection.send($0) }
        #expect(connection.isBacklogged)
        small.withUnsafeBytes { connection.send($0) }  // queued behind the rest, not written ahead of it
        let received = receive(from: peer, while: { connection.isBacklogged }, writable: { connection.ready(SocketCalls.epollOut) })
        #expect(sameBytes(received, large + small))
        connection.closeNow()
    }

    @Test func requestBytesAnUpstreamSocketCannotTakeWaitForOut() throws {
        let (proxySide, peer) = try socketPair()
        defer { close(peer) }
        let loop = try EpollLoop()
        let (clientSide, clientPeer) = try socketPair()
        defer { close(clientPeer) }
        let connection = client(fd: clientSide, loop: loop)
        let upstream = UpstreamSocket(fd: proxySide, address: "test", loop: loop)
        upstream.attach(connection, requestIsHead: false, dechunk: false, readTimeout: .seconds(60))
        let head = pattern(300, seed: 3), body = pattern(1 << 20, seed: 4)
        head.withUnsafeBytes { upstream.send($0) }
        body.withUnsafeBytes { upstream.send($0) }
        #expect(upstream.hasUnsentBytes)
        let received = receive(from: peer, while: { upstream.hasUnsentBytes }, writable: { upstream.ready(SocketCalls.epollOut) })
        #expect(!upstream.hasUnsentBytes)
        #expect(sameBytes(received, head + body))
        upstream.close()
        connection.closeNow()
    }
}
