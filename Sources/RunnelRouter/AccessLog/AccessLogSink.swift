import Foundation
import RunnelCore
import Synchronization

/// Takes access records from the event loops without ever blocking them: records wait in a
/// bounded buffer and a dedicated writer thread sends them (blocking I/O stays off the loops).
/// When the buffer is full, new records are dropped and counted.
final class AccessLogSink: Sendable {
    struct Counters: Sendable {
        var written = 0
        var dropped = 0
        var buffered = 0
        var lastError: String?
    }

    private struct State {
        var records: [AccessRecord] = []
        var counters = Counters()
        var stopped = false
    }

    private let capacity: Int
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let writer: any AccessLogWriter
    private let finished = DispatchSemaphore(value: 0)

    init(capacity: Int, writer: any AccessLogWriter) {
        self.capacity = capacity
        self.writer = writer
        let thread = Thread { [self] in self.run() }
        thread.name = "runnel-router access log"
        thread.start()
    }

    func log(_ record: AccessRecord) {
        let wasEmpty: Bool? = state.withLock { state in
            guard state.records.count < capacity, !state.stopped else {
                state.counters.dropped += 1
                return nil
            }
            state.records.append(record)
            return state.records.count == 1
        }
        if wasEmpty == true { wakeUp.signal() }
    }

    var counters: Counters {
        state.withLock { state in
            var counters = state.counters
            counters.buffered = state.records.count
            return counters
        }
    }

    /// Writes what is buffered (within `deadline`) and stops the writer thread.
    func stop(deadline: Duration = .seconds(2)) {
        state.withLock { $0.stopped = true }
        wakeUp.signal()
        _ = finished.wait(timeout: .now() + .milliseconds(Int(deadline.components.seconds * 1000)))
    }

    private func run() {
        var retryDelay = 0.1
        while true {
            _ = wakeUp.wait(timeout: .now() + .milliseconds(500))
            let (batch, stopping) = state.withLock { state in
                let batch = state.records
                state.records.removeAll(keepingCapacity: true)
                return (batch, state.stopped)
            }
            if !batch.isEmpty {
                do {
                    try writer.write(batch)
                    retryDelay = 0.1
                    state.withLock { $0.counters.written += batch.count }
                } catch {
                    requeue(batch, error: error)
                    if stopping { break }
                    Thread.sleep(forTimeInterval: retryDelay)
                    retryDelay = min(retryDelay * 2, 5)
                    continue
                }
            }
            if stopping { break }
        }
        writer.close()
        finished.signal()
    }

    /// Puts a failed batch back in front, dropping (and counting) what no longer fits.
    private func requeue(_ batch: [AccessRecord], error: any Error) {
        state.withLock { state in
            let room = max(0, capacity - state.records.count)
            let kept = batch.suffix(room)
            state.counters.dropped += batch.count - kept.count
            state.records.insert(contentsOf: kept, at: 0)
            state.counters.lastError = "\(error)"
        }
    }
}
