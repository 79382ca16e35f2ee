#if canImport(Glibc)
import Glibc
import CLinuxEvents
#endif
import NIOCore

/// One loop's listening socket for one listener (each loop has its own, bound with SO_REUSEPORT,
/// so the kernel spreads the accepting). The kernel spreads by a hash of the addresses, which left
/// 56/44 splits of 64 connections and the busier loop's tail latency, so each accepted connection
/// goes to the loop with the fewest (this one on a tie): a job on another loop costs a wakeup
/// per connection, never per request. It lives there with the defaults current at accept time.
final class LoopListener: TimerOwner {
    let fd: Int32
    /// Unowned: a loop closes every socket it holds before its thread ends, so it outlives them.
    unowned(unsafe) let loop: EpollLoop
    let config: ListenerConfig
    let shared: ProxyShared
    let group: ProxyLoops

    init(fd: Int32, loop: EpollLoop, group: ProxyLoops, config: ListenerConfig, shared: ProxyShared) {
        self.fd = fd
        self.loop = loop
        self.group = group
        self.config = config
        self.shared = shared
    }

    override func ready(_ events: UInt32) {
        let settings = shared.defaults
        while !isClosed {
            var address = sockaddr_storage()
            var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(fd, $0, &size, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard client >= 0 else {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code != EAGAIN && code != EWOULDBLOCK {
                    // Out of descriptors or memory: the waiting connections raise no new edge,
                    // so look again shortly.
                    loop.timers.set(self, to: loop.now + Self.acceptRetryDelay)
                }
                return
            }
            SocketCalls.setNoDelay(client)
            let clientIP = SocketCalls.ipString(&address)
            let target = group.leastLoaded(preferring: loop)
            target.clientCount.add(1, ordering: .relaxed)
            let config = self.config, shared = self.shared
            let open = { @Sendable (loop: EpollLoop) in
                ClientConnection(fd: client, clientIP: clientIP, loop: loop, shared: shared, listener: config, settings: settings).start()
            }
            if target === loop { open(loop) } else { target.execute(open) }
        }
    }

    /// How long accepting pauses after it failed for want of descriptors or memory.
    static let acceptRetryDelay = TimeAmount.milliseconds(100)

    override func deadlineReached(now: NIODeadline) { ready(SocketCalls.epollIn) }

    override func closeForStop() { close() }

    func close() {
        guard !isClosed else { return }
        loop.close(self, fd: fd)
    }
}
