import NIOCore

/// Idle keep-alive connections to upstream servers, one pool per event loop so a request only
/// ever reuses a connection on its own loop and no lock is needed. Touch only on that loop.
///
/// Parking a connection is a list append: instead of one timer per parked connection, a sweep
/// runs every half idle timeout and closes connections idle longer than the timeout (and drops
/// ones the server closed).
final class UpstreamConnectionPool {
    private let eventLoop: any EventLoop
    /// A class per address: a take or a park is a dictionary read and an in-place edit of the
    /// list (a dictionary entry edited through its subscript allocated three coroutine frames).
    private var idle: [String: IdleConnections] = [:]
    private var idleTimeout = TimeAmount.seconds(60)
    private var sweep: RepeatedTask?

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    /// The most recently parked live connection to `address`, if any.
    func take(_ address: String) -> UpstreamConnection? {
        guard let list = idle[address] else { return nil }
        while let parked = list.connections.popLast() {
            if parked.connection.channel.isActive { return parked.connection }
        }
        return nil
    }

    /// Parks a connection that finished a response cleanly; closes it when the pool is full.
    func park(_ connection: UpstreamConnection, limit: Int, idleTimeout: TimeAmount, at now: NIODeadline) {
        let list: IdleConnections
        if let known = idle[connection.address] {
            list = known
        } else {
            list = IdleConnections()
            idle[connection.address] = list
        }
        guard list.connections.count < limit, connection.channel.isActive else {
            connection.channel.close(promise: nil)
            return
        }
        list.connections.append((connection, now))
        if sweep == nil || idleTimeout != self.idleTimeout { startSweeping(every: idleTimeout) }
    }

    private func startSweeping(every timeout: TimeAmount) {
        sweep?.cancel()
        idleTimeout = timeout
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let period = TimeAmount.nanoseconds(max(timeout.nanoseconds / 2, 10_000_000))
        sweep = eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in bound.value.closeStale() }
    }

    private func closeStale() {
        let oldest = NIODeadline.now() - idleTimeout
        for (address, list) in idle {
            var kept: [(connection: UpstreamConnection, since: NIODeadline)] = []
            for parked in list.connections {
                if parked.since > oldest && parked.connection.channel.isActive {
                    kept.append(parked)
                } else {
                    parked.connection.channel.close(promise: nil)
                }
            }
            list.connections = kept
            if kept.isEmpty { idle[address] = nil }
        }
        if idle.isEmpty {
            sweep?.cancel()
            sweep = nil
        }
    }

    var idleCount: Int { idle.values.reduce(0) { $0 + $1.connections.count } }
}

/// The idle connections to one address, most recently parked last.
private final class IdleConnections {
    var connections: [(connection: UpstreamConnection, since: NIODeadline)] = []
}

/// A connection to one upstream server and the handler at the end of its pipeline. A class: it is
/// handed around several times per request, and a struct of an existential and two references
/// cost a retain and release of each at every copy.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let address: String

    init(channel: any Channel, handler: UpstreamHandler, address: String) {
        self.channel = channel
        self.handler = handler
        self.address = address
    }
}
