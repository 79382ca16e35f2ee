/// Something a loop's epoll set reports readiness for: a listening socket, a client connection or
/// an upstream connection. A class with one overridden method, so an event costs a virtual call
/// (no existential, no closure).
class PollTarget {
    /// Set once the socket is closed: events still queued in the current batch are ignored.
    @exclusivity(unchecked) final var isClosed = false

    /// `events`: the epoll bits reported (edge-triggered, so each edge is reported once).
    func ready(_ events: UInt32) {}

    /// The loop is stopping: close the socket now.
    func closeForStop() {}
}
