import NIOCore

/// Idle keep-alive upstream connections of one loop, by server address, most recently parked
/// last. Touched only on the loop's thread. A parked connection watches its own socket and idle
/// deadline and leaves the pool when the server closes it or it idles too long.
final class LoopConnectionPool {
    private var idle: [String: IdleUpstreams] = [:]

    func take(_ address: String) -> UpstreamSocket? {
        guard let list = idle[address] else { return nil }
        while let connection = list.connections.popLast() {
            if !connection.isClosed { return connection }
        }
        return nil
    }

    /// False when the pool for the address is full (the caller closes the connection).
    func park(_ connection: UpstreamSocket, limit: Int) -> Bool {
        let list: IdleUpstreams
        if let known = idle[connection.address] {
            list = known
        } else {
            list = IdleUpstreams()
            idle[connection.address] = list
        }
        if list.connections.count >= limit {
            list.connections.removeAll { $0.isClosed }
            guard list.connections.count < limit else { return false }
        }
        list.connections.append(connection)
        return true
    }

    /// A parked connection closed: forget it.
    func remove(_ connection: UpstreamSocket) {
        idle[connection.address]?.connections.removeAll { $0 === connection }
    }

}

/// A class so a take or park edits the list in place (a dictionary value edited through its
/// subscript costs coroutine frames).
private final class IdleUpstreams {
    var connections: [UpstreamSocket] = []
}
