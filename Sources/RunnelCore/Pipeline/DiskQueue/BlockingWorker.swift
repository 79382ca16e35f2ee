import DequeModule
import Foundation
import Synchronization

/// A thread of its own that runs blocking work (file writes, fsync) submitted from async code,
/// one job at a time, in order. The cooperative pool has one thread per core and must never wait
/// on a disk; Dispatch's global queue grows slowly when its threads block.
final class BlockingWorker: Sendable {
    private struct Jobs {
        var pending = Deque<@Sendable () -> Void>()
        var started = false
        var stopped = false
    }

    let name: String
    private let jobs = Mutex(Jobs())
    private let ready = DispatchSemaphore(value: 0)

    /// The thread starts with the first job.
    init(name: String) {
        self.name = name
    }

    /// Runs `work` on the worker's thread and returns its result. After `stop`, runs it inline.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let (accepted, start) = jobs.withLock { jobs -> (Bool, Bool) in
                guard !jobs.stopped else { return (false, false) }
                jobs.pending.append { continuation.resume(returning: work()) }
                defer { jobs.started = true }
                return (true, !jobs.started)
            }
            guard accepted else { return continuation.resume(returning: work()) }
            if start {
                let thread = Thread { [self] in loop() }
                thread.name = name
                thread.start()
            }
            ready.signal()
        }
    }

    /// Lets the thread finish the jobs it has and exit.
    func stop() {
        jobs.withLock { $0.stopped = true }
        ready.signal()
    }

    private func loop() {
        while true {
            ready.wait()
            let next: (@Sendable () -> Void)?? = jobs.withLock { jobs in
                if let job = jobs.pending.popFirst() { return .some(job) }
                return jobs.stopped ? .some(nil) : nil
            }
            switch next {
            case .some(.some(let job)): job()
            case .some(.none): return
            case .none: continue
            }
        }
    }
}

/// Wakes one waiting task. A wake while nobody waits is kept (one), so none is lost between a
/// check and the wait that follows it.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next wake (or at once if one is pending), or when the task is cancelled.
    /// One task at a time may wait.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wake()
        }
    }
}
