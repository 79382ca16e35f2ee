#if canImport(Glibc)
import Glibc
import CLinuxEvents
#endif
import Foundation
import NIOCore
import Synchronization

/// One proxy event loop: a thread waiting on its own epoll set. Every socket registered here is
/// read, written and closed only on this thread, so connections need no locks; other threads talk
/// to the loop through `execute`, which queues a job and wakes the loop with an eventfd.
///
/// `@unchecked Sendable`: the only members touched from other threads are `jobs` and `finished`
/// (Mutexes), `stopRequested` and `clientCount` (Atomics) and the immutable descriptors; everything else is confined to the
/// loop's thread (`run`, and the jobs and events it calls).
final class EpollLoop: @unchecked Sendable {
    let epollFD: Int32
    private let wakeFD: Int32
    private let wakeTarget: WakeTarget
    private let jobs = Mutex<[@Sendable (EpollLoop) -> Void]>([])
    private let stopRequested = Atomic<Bool>(false)
    /// Client connections living on this loop (counted when handed to it), for balancing.
    let clientCount = Atomic<Int>(0)
    /// True once `run` returned; callers of `finish` waiting until then.
    private let finished = Mutex<(done: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
    /// The clock read once per wakeup: what every event of the batch uses as "now".
    private(set) var now = NIODeadline.now()
    /// Targets closed during the current batch, released after it (an event for them may still
    /// be queued in the batch: their `isClosed` flag makes it a no-op).
    @exclusivity(unchecked) private var retired: [Unmanaged<PollTarget>] = []
    let timers = LoopTimers()
    /// Idle keep-alive upstream connections of this loop.
    let connectionPool = LoopConnectionPool()
    /// Every registered target, for the final close when the loop stops.
    @exclusivity(unchecked) private var registered: [ObjectIdentifier: Unmanaged<PollTarget>] = [:]

    init() throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketCalls.Failure(call: "epoll_create1", code: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketCalls.Failure(call: "eventfd", code: errno) }
        wakeTarget = WakeTarget(fd: wakeFD)
        register(wakeTarget, fd: wakeFD, events: SocketCalls.epollIn | SocketCalls.edgeTriggered)
    }

    deinit {
        Glibc.close(epollFD)
        Glibc.close(wakeFD)
    }

    /// Adds `target` to the epoll set; the set holds one reference until `close`.
    func register(_ target: PollTarget, fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt(bitPattern: Unmanaged.passRetained(target).toOpaque()))
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
        registered[ObjectIdentifier(target)] = Unmanaged.passUnretained(target)
    }

    /// Closes a socket this loop serves: its deadline goes, its registration ends, and closing the
    /// descriptor removes it from the set. The set's reference is dropped after the current batch,
    /// whose events for it are no-ops (`isClosed`).
    func close(_ target: TimerOwner, fd: Int32) {
        timers.remove(target)
        target.isClosed = true
        retired.append(Unmanaged.passUnretained(target))
        registered[ObjectIdentifier(target)] = nil
        Glibc.close(fd)
    }

    /// Runs `job` on the loop's thread (from any thread); dropped once the loop has stopped.
    func execute(_ job: @escaping @Sendable (EpollLoop) -> Void) {
        jobs.withLock { $0.append(job) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        execute { _ in }
    }

    /// Starts the loop's thread.
    func start(name: String) {
        let thread = Thread { [self] in
            Thread.current.name = name
            run()
        }
        thread.start()
    }

    /// Returns once the loop's thread has closed its sockets and left `run`.
    func finish() async {
        await withCheckedContinuation { continuation in
            let done = finished.withLock { state in
                if !state.done { state.waiting.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while !stopRequested.load(ordering: .acquiring) {
            let timeout = timers.waitMilliseconds(now: now)
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            now = .now()
            if count > 0 {
                for index in 0..<Int(count) {
                    let event = events[index]
                    guard let pointer = UnsafeRawPointer(bitPattern: UInt(event.data.u64)) else { continue }
                    // The set's reference keeps the target alive for the whole batch (see `close`).
                    let target = Unmanaged<PollTarget>.fromOpaque(pointer).takeUnretainedValue()
                    if !target.isClosed { target.ready(event.events) }
                }
            }
            if wakeTarget.woken {
                wakeTarget.woken = false
                runJobs()
            }
            timers.fire(now: now)
            releaseRetired()
        }
        runJobs()
        for target in Array(registered.values) { target.takeUnretainedValue().closeForStop() }
        releaseRetired()
        let waiting = finished.withLock { state in
            state.done = true
            let waiting = state.waiting
            state.waiting = []
            return waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    private func runJobs() {
        let pending = jobs.withLock { jobs in
            let taken = jobs
            jobs.removeAll()
            return taken
        }
        for job in pending { job(self) }
    }

    private func releaseRetired() {
        guard !retired.isEmpty else { return }
        for target in retired { target.release() }
        retired.removeAll(keepingCapacity: true)
    }
}

/// The loop's eventfd: drained when it fires, and the loop then runs its queued jobs.
private final class WakeTarget: PollTarget {
    let fd: Int32
    var woken = false

    init(fd: Int32) { self.fd = fd }

    override func ready(_ events: UInt32) {
        var value: UInt64 = 0
        while read(fd, &value, 8) == 8 {}
        woken = true
    }
}
