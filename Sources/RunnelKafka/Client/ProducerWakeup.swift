import CRdKafka
#if canImport(Glibc)
import Glibc
#endif

/// The eventfd the producer thread sleeps on. Senders signal it when they hand work over, and
/// librdkafka writes to it when its main queue receives a delivery report, an error or statistics
/// (`rd_kafka_queue_io_event_enable`), so one wait covers both. `rd_kafka_yield` from another thread
/// did not wake a blocked `rd_kafka_poll` (librdkafka allows it only inside its callbacks): a batch
/// handed over to an idle producer waited for the poll timeout, 50 ms on average.
struct ProducerWakeup: Sendable {
    let descriptor: Int32

    init() {
        descriptor = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
    }

    /// Callers must know the descriptor is still open (the producer signals under its lock while
    /// not closing; the thread closes it only after seeing `closing` under that lock).
    func signal() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Sleeps until signalled or `milliseconds` passed, and clears the signal.
    func wait(milliseconds: Int32) {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&request, 1, milliseconds)
        var value: UInt64 = 0
        _ = read(descriptor, &value, MemoryLayout<UInt64>.size)
    }

    /// Makes librdkafka signal this eventfd whenever `queue` gets something to serve.
    func attach(_ queue: OpaquePointer) {
        var one: UInt64 = 1
        rd_kafka_queue_io_event_enable(queue, descriptor, &one, MemoryLayout<UInt64>.size)
    }

    func close() { _ = Glibc.close(descriptor) }
}
