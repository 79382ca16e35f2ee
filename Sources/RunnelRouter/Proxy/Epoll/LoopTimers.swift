import NIOCore

/// A socket with one deadline (header, idle, connect or read timeout, whichever applies now).
class TimerOwner: PollTarget {
    /// When `deadlineReached` is due; `.distantFuture` for none. Moving it later costs nothing
    /// but this write: the heap entry fires early and is put back for the new time.
    @exclusivity(unchecked) final var deadline = NIODeadline.distantFuture
    /// Where this owner's entry is in its loop's heap; -1 when it has none.
    @exclusivity(unchecked) final var heapIndex = -1

    func deadlineReached(now: NIODeadline) {}
}

/// A loop's deadlines: a binary min-heap with at most one entry per owner, which knows its
/// position. Setting a deadline later than the entry's time writes a field (the usual case: every
/// request pushes its connection's idle deadline forward); an earlier one moves the entry up; a
/// closed socket's entry is removed at once. The loop runs `fire` after each epoll_wait and waits
/// no longer than until the first entry.
final class LoopTimers {
    @exclusivity(unchecked) private var heap: [(when: NIODeadline, owner: TimerOwner)] = []

    var count: Int { heap.count }

    func set(_ owner: TimerOwner, to deadline: NIODeadline) {
        owner.deadline = deadline
        guard deadline != .distantFuture else { return }
        let index = owner.heapIndex
        if index < 0 {
            insert(deadline, owner)
        } else if deadline < heap[index].when {
            heap[index].when = deadline
            siftUp(index)
        }
    }

    /// No deadline for `owner` until the next `set` (its entry, if any, fires and is dropped).
    func clear(_ owner: TimerOwner) { owner.deadline = .distantFuture }

    /// Drops `owner`'s entry (its socket closed).
    func remove(_ owner: TimerOwner) {
        owner.deadline = .distantFuture
        guard owner.heapIndex >= 0 else { return }
        removeEntry(at: owner.heapIndex)
    }

    /// Milliseconds epoll_wait may sleep: -1 (no deadline), else until the first entry, rounded up.
    func waitMilliseconds(now: NIODeadline) -> Int32 {
        guard let first = heap.first else { return -1 }
        let nanoseconds = (first.when - now).nanoseconds
        guard nanoseconds > 0 else { return 0 }
        return Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
    }

    /// Calls `deadlineReached` on every owner whose deadline is `now` or earlier; an entry whose
    /// owner's deadline moved later goes back into the heap for the new time.
    func fire(now: NIODeadline) {
        while let first = heap.first, first.when <= now {
            let owner = first.owner
            removeEntry(at: 0)
            if owner.deadline <= now {
                owner.deadline = .distantFuture
                owner.deadlineReached(now: now)
            } else if owner.deadline != .distantFuture {
                insert(owner.deadline, owner)
            }
        }
    }

    private func insert(_ when: NIODeadline, _ owner: TimerOwner) {
        heap.append((when, owner))
        owner.heapIndex = heap.count - 1
        siftUp(heap.count - 1)
    }

    private func removeEntry(at index: Int) {
        heap[index].owner.heapIndex = -1
        let last = heap.removeLast()
        guard index < heap.count else { return }
        heap[index] = last
        last.owner.heapIndex = index
        siftUp(index)
        siftDown(heap[index].owner.heapIndex)
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].when < heap[parent].when else { break }
            swapEntries(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].when < heap[smallest].when { smallest = left }
            if right < heap.count && heap[right].when < heap[smallest].when { smallest = right }
            guard smallest != parent else { return }
            swapEntries(parent, smallest)
            parent = smallest
        }
    }

    private func swapEntries(_ first: Int, _ second: Int) {
        heap.swapAt(first, second)
        heap[first].owner.heapIndex = first
        heap[second].owner.heapIndex = second
    }
}
