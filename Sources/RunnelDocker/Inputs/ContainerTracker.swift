import Synchronization

/// Which containers have a follower, so a `start` event for a container still being drained
/// does not start a second one: it asks the running follower for another pass instead.
final class ContainerTracker: Sendable {
    private struct Entry {
        var anotherPass = false
        var destroyed = false
        /// A `die` event came after the last `start`: a follower reading files (which never end
        /// by themselves) stops at their end.
        var died = false
        /// Wakes the follower early (a file follower waiting for its file to change).
        var wake: (@Sendable () -> Void)?
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bumped when the daemon is reachable again, ending followers' backoff waits early.
    private let wakeups = Mutex<UInt64>(0)

    /// True when the caller should start a follower; false when one runs (it will pass again).
    func claim(_ id: String) -> Bool {
        entries.withLock { entries in
            if entries[id] != nil {
                entries[id]!.anotherPass = true
                entries[id]!.died = false
                return false
            }
            entries[id] = Entry()
            return true
        }
    }

    /// The follower ran out of stream: true to read again (a restart was announced meanwhile);
    /// false means it is released, with whether the container was destroyed meanwhile.
    func finishPass(_ id: String) -> (again: Bool, destroyed: Bool) {
        entries.withLock { entries in
            guard let entry = entries[id] else { return (false, false) }
            if entry.anotherPass {
                entries[id]!.anotherPass = false
                return (true, false)
            }
            entries[id] = nil
            return (false, entry.destroyed)
        }
    }

    /// Releases the claim whatever happened (cancellation, exclusion).
    func release(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// The container was removed. True when nobody follows it (forget it now); otherwise its
    /// follower forgets it when its stream ends.
    func noteDestroyed(_ id: String) -> Bool {
        entries.withLock { entries in
            guard entries[id] != nil else { return true }
            entries[id]!.destroyed = true
            return false
        }
    }

    func noteDied(_ id: String) {
        let wake = entries.withLock { entries -> (@Sendable () -> Void)? in
            guard entries[id] != nil else { return nil }
            entries[id]!.died = true
            return entries[id]!.wake
        }
        wake?()
    }

    /// What wakes the container's follower when its container stops (nil: nothing to do).
    func setWake(_ id: String, _ wake: (@Sendable () -> Void)?) {
        entries.withLock { entries in
            if entries[id] != nil { entries[id]!.wake = wake }
        }
    }

    func hasDied(_ id: String) -> Bool {
        entries.withLock { $0[id]?.died ?? false }
    }

    var following: Set<String> { entries.withLock { Set($0.keys) } }

    /// Ends every `waitOrWake` now (the daemon came back).
    func wakeWaiting() {
        wakeups.withLock { $0 += 1 }
    }

    /// Sleeps up to `wait`, less when `wakeWaiting` is called meanwhile (checked every 100 ms).
    func waitOrWake(for wait: Duration) async {
        let start = wakeups.withLock { $0 }
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
            if wakeups.withLock({ $0 }) != start { return }
        }
    }
}
