import Synchronization

/// What a TcpOutput connection's reader task learns, for the sending loop: the highest offset the
/// peer confirmed (peer confirmations only) and whether the connection ended.
final class ConnectionLink: Sendable {
    private struct State {
        var peerConfirmed: Int64 = -1
        var endReason: String?
    }

    private let state = Mutex(State())

    var peerConfirmed: Int64 { state.withLock { $0.peerConfirmed } }
    var endReason: String? { state.withLock { $0.endReason } }

    func notePeerConfirmed(_ offset: Int64) {
        state.withLock { $0.peerConfirmed = max($0.peerConfirmed, offset) }
    }

    func noteEnded(_ reason: String) {
        state.withLock { state in
            if state.endReason == nil { state.endReason = reason }
        }
    }
}
