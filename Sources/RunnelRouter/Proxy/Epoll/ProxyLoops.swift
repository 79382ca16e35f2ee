import CLinuxEvents
import NIOCore
import Synchronization

/// The proxy's event loops (one thread each) and the listening sockets they accept on. A
/// listener is one socket per loop on the same address and port (SO_REUSEPORT).
final class ProxyLoops: Sendable {
    let loops: [EpollLoop]

    /// A listener bound on every loop.
    struct BoundListener: Sendable {
        let config: ListenerConfig
        let port: Int
        /// `@unchecked Sendable` in `SocketsByLoop`: each socket is touched only by jobs on its loop.
        fileprivate let sockets: SocketsByLoop
    }

    init(count: Int) throws {
        var loops: [EpollLoop] = []
        for index in 0..<max(1, count) {
            let loop = try EpollLoop()
            loop.start(name: "runnel-proxy-\(index)")
            loops.append(loop)
        }
        self.loops = loops
    }

    /// Binds `config` on every loop; the first socket picks the port when 0 is configured and
    /// the others bind that port.
    func bind(_ config: ListenerConfig, shared: ProxyShared) async throws -> BoundListener {
        let address = try SocketAddress.makeAddressResolvingHost(config.address.host, port: config.address.port)
        var descriptors: [Int32] = []
        var port = config.address.port
        do {
            for _ in loops {
                let bound = port == address.port ? address : try SocketAddress.makeAddressResolvingHost(config.address.host, port: port)
                let fd = try SocketCalls.listen(bound)
                descriptors.append(fd)
                if port == 0 { port = SocketCalls.localPort(fd) }
            }
        } catch {
            for fd in descriptors { SocketCalls.closeDescriptor(fd) }
            throw error
        }
        var listeners: [LoopListener] = []
        for (loop, fd) in zip(loops, descriptors) {
            listeners.append(LoopListener(fd: fd, loop: loop, group: self, config: config, shared: shared))
        }
        let sockets = SocketsByLoop(listeners: listeners)
        await forEachLoop { index, loop in
            loop.register(sockets.listeners[index], fd: sockets.listeners[index].fd,
                          events: SocketCalls.epollIn | SocketCalls.edgeTriggered)
        }
        return BoundListener(config: config, port: port, sockets: sockets)
    }

    /// The loop serving the fewest client connections; `preferred` when it is among them.
    func leastLoaded(preferring preferred: EpollLoop) -> EpollLoop {
        var best = preferred
        var fewest = preferred.clientCount.load(ordering: .relaxed)
        for loop in loops where loop !== preferred {
            let count = loop.clientCount.load(ordering: .relaxed)
            if count < fewest {
                best = loop
                fewest = count
            }
        }
        return best
    }

    /// Stops accepting on `listener`; its connections keep running.
    func close(_ listener: BoundListener) async {
        await forEachLoop { index, _ in listener.sockets.listeners[index].close() }
    }

    /// Closes every socket and ends the loops' threads.
    func shutdown() async {
        for loop in loops { loop.requestStop() }
        for loop in loops { await loop.finish() }
    }

    /// Runs `job` on every loop and returns when all have.
    private func forEachLoop(_ job: @escaping @Sendable (Int, EpollLoop) -> Void) async {
        for (index, loop) in loops.enumerated() {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                loop.execute { loop in
                    job(index, loop)
                    continuation.resume()
                }
            }
        }
    }
}

/// One listener's sockets, one per loop.
/// `@unchecked Sendable`: the array never changes after creation, and each socket is read and
/// closed only by jobs running on its own loop's thread.
private final class SocketsByLoop: @unchecked Sendable {
    let listeners: [LoopListener]
    init(listeners: [LoopListener]) { self.listeners = listeners }
}
