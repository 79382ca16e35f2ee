import NIOCore

/// A socket with one deadline (header, idle, connect or read timeout, whichever applies now).
class TimerOwner: PollTarget {
    /// When `deadlineReached` is due; `.distantFuture` for none. Moving it later costs nothing
    /// but this write: the armed entry fires early and is re-armed from here.
    @exclusivity(unchecked) final var deadline = NIODeadline.distantFuture
    /// The time of this owner's live entry in the loop's heap, nil when none.
    @exclusivity(unchecked) final var armedAt: NIODeadline?

    func deadlineReached(now: NIODeadline) {}
}

/// A loop's deadlines: a binary min-heap with at most one live entry per owner. Setting a
/// deadline later than the armed one writes a field (the usual case: every request pushes its
/// connection's idle deadline forward); only an earlier one pushes an entry. The loop checks the
/// heap after each epoll_wait and waits no longer than until its first entry.
final class LoopTimers {
    @exclusivity(unchecked) private var heap: [(when: NIODeadline, owner: TimerOwner)] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    func set(_ owner: TimerOwner, to deadline: NIODeadline) {
        owner.deadline = deadline
        guard deadline != .distantFuture else { return }
        if let armed = owner.armedAt, armed <= deadline { return }
        owner.armedAt = deadline
        push((deadline, owner))
    }

    func clear(_ owner: TimerOwner) { owner.deadline = .distantFuture }

    /// Milliseconds epoll_wait may sleep: -1 (no deadline), else until the first entry, rounded up.
    func waitMilliseconds(now: NIODeadline) -> Int32 {
        guard let first = heap.first else { return -1 }
        let nanoseconds = (first.when - now).nanoseconds
        guard nanoseconds > 0 else { return 0 }
        return Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
    }

    /// Calls `deadlineReached` on every owner whose deadline is `now` or earlier.
    func fire(now: NIODeadline) {
        while let first = heap.first, first.when <= now {
            let (when, owner) = popFirst()
            // An entry replaced by an earlier one, or one for a closed socket: nothing to do.
            guard owner.armedAt == when, !owner.isClosed else { continue }
            owner.armedAt = nil
            if owner.deadline <= now {
                owner.deadline = .distantFuture
                owner.deadlineReached(now: now)
            } else if owner.deadline != .distantFuture {
                owner.armedAt = owner.deadline
                push((owner.deadline, owner))
            }
        }
    }

    private func push(_ entry: (when: NIODeadline, owner: TimerOwner)) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].when < heap[parent].when else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popFirst() -> (when: NIODeadline, owner: TimerOwner) {
        let first = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].when < heap[smallest].when { smallest = left }
            if right < heap.count && heap[right].when < heap[smallest].when { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
