#if canImport(Glibc)
import Glibc
import CLinuxEvents
#endif
import NIOCore

/// The few socket system calls the proxy loops make, with their Glibc spellings in one place.
enum SocketCalls {
    static let epollIn = EPOLLIN.rawValue
    static let epollOut = EPOLLOUT.rawValue
    static let epollRDHup = EPOLLRDHUP.rawValue
    static let epollHup = EPOLLHUP.rawValue
    static let epollErr = EPOLLERR.rawValue
    static let edgeTriggered = EPOLLET.rawValue
    /// Registered once per socket: every later readiness change is an edge, no epoll_ctl per request.
    static let connectionEvents = epollIn | epollOut | epollRDHup | edgeTriggered
    /// Reported when there is something to read, or an end to read to.
    static let readableEvents = epollIn | epollRDHup | epollHup | epollErr
    /// Reported when the peer closed its side or the socket failed: reading runs to the end.
    static let peerGoneEvents = epollRDHup | epollHup | epollErr

    struct Failure: Error, CustomStringConvertible {
        var call: String
        var code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// A nonblocking, close-on-exec TCP socket for `address`'s family.
    private static func streamSocket(for address: SocketAddress) throws -> Int32 {
        let fd = socket(Int32(address.protocol.rawValue), Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        return fd
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A nonblocking listening socket bound with SO_REUSEPORT, so each loop can have its own and
    /// the kernel spreads connections between them.
    static func listen(_ address: SocketAddress, backlog: Int32 = 1024) throws -> Int32 {
        let fd = try streamSocket(for: address)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { pointer, size in bind(fd, pointer, socklen_t(size)) }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw Failure(call: "bind \(address)", code: code)
        }
        return fd
    }

    /// The port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        } == 0
        guard ok else { return 0 }
        // sin_port and sin6_port lie at the same offset, in network byte order.
        return withUnsafeBytes(of: &storage) { raw in Int(UInt16(raw[2]) << 8 | UInt16(raw[3])) }
    }

    /// Starts a nonblocking connect; the socket reports OUT when it completes (then `pendingError`).
    static func connect(to address: SocketAddress) throws -> Int32 {
        let fd = try streamSocket(for: address)
        setNoDelay(fd)
        let result = address.withSockAddr { pointer, size in Glibc.connect(fd, pointer, socklen_t(size)) }
        if result != 0 && errno != EINPROGRESS {
            let code = errno
            close(fd)
            throw Failure(call: "connect to \(address)", code: code)
        }
        return fd
    }

    /// The error a nonblocking connect ended with (0: connected).
    static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) == 0 else { return errno }
        return code
    }

    /// The peer's IP address as text, once per accepted connection.
    static func ipString(_ storage: inout sockaddr_storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = Int32(storage.ss_family)
        let written: UnsafePointer<CChar>? = withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    withUnsafePointer(to: address.pointee.sin_addr) { inet_ntop(AF_INET, $0, &text, socklen_t(text.count)) }
                }
            } else if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    withUnsafePointer(to: address.pointee.sin6_addr) { inet_ntop(AF_INET6, $0, &text, socklen_t(text.count)) }
                }
            }
            return nil
        }
        guard written != nil else { return "-" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension SocketCalls {
    /// write(2), retried on EINTR; the count written (possibly short), 0 when the socket is full,
    /// -1 on an error that ends the connection.
    @inline(__always)
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return retriedWrite { Glibc.write(fd, base, bytes.count) }
    }

    /// writev(2) of two blocks, same results as `write`.
    static func write(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Int {
        var vectors = (iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
                       iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count))
        return withUnsafeMutablePointer(to: &vectors) { pointer in
            pointer.withMemoryRebound(to: iovec.self, capacity: 2) { vector in
                retriedWrite { writev(fd, vector, 2) }
            }
        }
    }

    /// Runs a write call again while a signal interrupts it, and maps its result: the count
    /// written, 0 when the socket is full, -1 on an error that ends the connection.
    @inline(__always)
    private static func retriedWrite(_ call: () -> Int) -> Int {
        while true {
            let written = call()
            if written >= 0 { return written }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1
        }
    }
}

extension SocketCalls {
    static func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
}

extension SocketCalls {
    enum ReadOutcome {
        /// `drained`: fewer bytes than there was room for, so the socket has no more for now
        /// (edge-triggered: no extra read to see EAGAIN).
        case bytes(drained: Bool)
        case endOfStream
        case wouldBlock
        case interrupted
        case failed(Int32)
    }

    /// One read(2) into `buffer`'s free space (at least `size` bytes of it).
    @inline(__always)
    static func read(_ fd: Int32, into buffer: inout ByteBuffer, size: Int) -> ReadOutcome {
        var outcome = ReadOutcome.wouldBlock
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { free in
            let count = Glibc.read(fd, free.baseAddress, free.count)
            if count > 0 {
                outcome = .bytes(drained: count < free.count)
            } else if count == 0 {
                outcome = .endOfStream
            } else {
                let code = errno
                outcome = code == EAGAIN || code == EWOULDBLOCK ? .wouldBlock : code == EINTR ? .interrupted : .failed(code)
            }
            return max(count, 0)
        }
        return outcome
    }
}
