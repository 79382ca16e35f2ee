import NIOCore

/// Idle keep-alive connections to upstream servers, one pool per event loop so a request only
/// ever reuses a connection on its own loop and no lock is needed. Touch only on that loop.
final class UpstreamConnectionPool {
    private var idle: [String: [UpstreamConnection]] = [:]

    /// The most recently parked live connection to `address`, if any.
    func take(_ address: String) -> UpstreamConnection? {
        while let connection = idle[address]?.popLast() {
            connection.handler.leavePool()
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    /// Parks a connection that finished a response cleanly; closes it when the pool is full.
    func park(_ connection: UpstreamConnection, limit: Int, idleTimeout: TimeAmount) {
        var list = idle[connection.address] ?? []
        list.removeAll { !$0.channel.isActive }
        guard list.count < limit, connection.channel.isActive else {
            connection.channel.close(promise: nil)
            return
        }
        connection.handler.enterPool(idleTimeout: idleTimeout) { [weak self] in self?.forget(connection) }
        list.append(connection)
        idle[connection.address] = list
    }

    private func forget(_ connection: UpstreamConnection) {
        idle[connection.address]?.removeAll { $0.channel === connection.channel }
    }

    var idleCount: Int { idle.values.reduce(0) { $0 + $1.count } }
}

/// A connection to one upstream server and the handler at the end of its pipeline.
struct UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let address: String
}
