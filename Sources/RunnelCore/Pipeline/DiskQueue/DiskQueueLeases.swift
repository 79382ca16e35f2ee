import Synchronization

/// Which disk queue folders are in use in this process. A replacement of a buffered plugin (a
/// reload) waits here for the instance it replaces, after asking it to hand over: the old one
/// stops reading, settles or gives up on what it handed out, saves its cursor and releases the
/// folder; the new one then reads on from that cursor. (The folder's `flock` keeps other
/// processes out; it cannot make a task wait.)
final class DiskQueueLeases: Sendable {
    static let shared = DiskQueueLeases()

    private struct Waiter {
        let id: UInt64
        let handOver: @Sendable () -> Void
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct Folder {
        var handOver: @Sendable () -> Void
        var waiters: [Waiter] = []
    }

    private struct State {
        var folders: [String: Folder] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Waits until `folder` is free and takes it; false when the task was cancelled meanwhile.
    /// `handOver` is called when another instance starts waiting for the folder.
    func acquire(_ folder: String, handOver: @escaping @Sendable () -> Void) async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (granted, holder): (Bool, (@Sendable () -> Void)?) = state.withLock { state in
                    if Task.isCancelled { return (false, nil) }
                    guard var current = state.folders[folder] else {
                        state.folders[folder] = Folder(handOver: handOver)
                        return (true, nil)
                    }
                    current.waiters.append(Waiter(id: id, handOver: handOver, continuation: continuation))
                    state.folders[folder] = current
                    return (false, current.handOver)
                }
                if let holder {
                    holder()
                } else {
                    continuation.resume(returning: granted)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard var current = state.folders[folder],
                      let index = current.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                let waiter = current.waiters.remove(at: index)
                state.folders[folder] = current
                return waiter
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// Gives the folder to the next waiter, if any (asking it to hand over at once when others
    /// wait behind it).
    func release(_ folder: String) {
        let (next, handOverNow): (Waiter?, (@Sendable () -> Void)?) = state.withLock { state in
            guard var current = state.folders[folder], !current.waiters.isEmpty else {
                state.folders[folder] = nil
                return (nil, nil)
            }
            let next = current.waiters.removeFirst()
            current.handOver = next.handOver
            state.folders[folder] = current
            return (next, current.waiters.isEmpty ? nil : next.handOver)
        }
        next?.continuation.resume(returning: true)
        handOverNow?()
    }
}
