import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Wakes followers of json-file logs when their file changes (inotify), so a hundred quiet
/// containers cost nothing between their lines instead of a poll each every few milliseconds.
/// One inotify descriptor and one thread per input; the thread blocks in `poll` and hands each
/// event to the follower waiting on that file, or remembers it for the follower's next wait.
final class FileChangeWatcher: Sendable {
    private struct Watch {
        var changed = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
    }

    private let descriptor: Int32
    private let watches = Mutex<[Int32: Watch]>([:])
    private let stopped = Atomic<Bool>(false)
    private let nextWaiterID = Atomic<UInt64>(0)

    /// nil when inotify is not available (the followers poll instead).
    init?() {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        descriptor = fd
        let thread = Thread { [self] in readEvents() }
        thread.name = "runnel-inotify"
        thread.start()
    }

    /// Ends the thread (within half a second) and closes the descriptor.
    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Starts watching `path`; nil when it cannot be watched (the caller polls).
    func watch(_ path: String) -> Int32? {
        let mask = UInt32(IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB | IN_CLOSE_WRITE)
        let wd = inotify_add_watch(descriptor, path, mask)
        guard wd >= 0 else { return nil }
        watches.withLock { $0[wd] = Watch() }
        return wd
    }

    func unwatch(_ wd: Int32) {
        let waiter = watches.withLock { $0.removeValue(forKey: wd)?.waiter }
        waiter?.continuation.resume()
        inotify_rm_watch(descriptor, wd)
    }

    /// Wakes the follower of `wd` as if its file had changed (its container stopped).
    func poke(_ wd: Int32) {
        wake([wd])
    }

    /// Returns once the file changed since the previous wait (or was poked), or after `timeout`.
    func wait(_ wd: Int32, timeout: Duration) async {
        let id = nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = watches.withLock { watches -> Bool in
                guard var watch = watches[wd] else { return true }
                if watch.changed {
                    watch.changed = false
                    watches[wd] = watch
                    return true
                }
                watch.waiter = (id, continuation)
                watches[wd] = watch
                return false
            }
            if resumeNow {
                continuation.resume()
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let expired = watches.withLock { watches -> CheckedContinuation<Void, Never>? in
                    guard let waiter = watches[wd]?.waiter, waiter.id == id else { return nil }
                    watches[wd]?.waiter = nil
                    return waiter.continuation
                }
                expired?.resume()
            }
        }
    }

    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            guard poll(&pollDescriptor, 1, 500) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var changed: Set<Int32> = []
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let header = MemoryLayout<inotify_event>.size
                while offset + header <= count {
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    changed.insert(event.wd)
                    offset += header + Int(event.len)
                }
            }
            wake(changed)
        }
        close(descriptor)
    }

    private func wake(_ changed: some Sequence<Int32>) {
        let waiters = watches.withLock { watches -> [CheckedContinuation<Void, Never>] in
            var waiters: [CheckedContinuation<Void, Never>] = []
            for wd in changed {
                guard var watch = watches[wd] else { continue }
                if let waiter = watch.waiter {
                    waiters.append(waiter.continuation)
                    watch.waiter = nil
                } else {
                    watch.changed = true
                }
                watches[wd] = watch
            }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
