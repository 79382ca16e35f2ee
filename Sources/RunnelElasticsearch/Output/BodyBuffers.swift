import Synchronization

/// Request bodies kept for the next requests: a bulk body is megabytes, and a fresh one per request
/// is paid again in page faults as its pages are first written (more CPU than the copying of the
/// documents into it). At most `keep` are kept, so the memory held while idle stays bounded.
final class BodyBuffers: Sendable {
    private let spare = Mutex<[[UInt8]]>([])
    let keep: Int

    init(keep: Int) {
        self.keep = keep
    }

    /// An empty body with room for `capacity` bytes, reusing a kept one when there is one.
    func take(capacity: Int) -> [UInt8] {
        var body = spare.withLock { $0.popLast() } ?? []
        // A body still referenced elsewhere (a request libcurl has not let go of yet) is not
        // reused: removing its bytes gives a new buffer instead.
        body.removeAll(keepingCapacity: true)
        body.reserveCapacity(capacity)
        return body
    }

    /// Returns a body whose request is over (its items gone), for another request.
    func give(_ body: [UInt8]) {
        guard body.capacity > 0 else { return }
        spare.withLock { spare in
            if spare.count < keep { spare.append(body) }
        }
    }
}
