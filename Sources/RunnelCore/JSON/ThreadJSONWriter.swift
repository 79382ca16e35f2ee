#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `JSONWriter` per thread, reused by every `MessageJSON.encode(_:into:)` on that thread.
///
/// Encoders are shared values (one `[JsonEncoder]` section can serve several outputs at once), so
/// they cannot hold a writer themselves without a lock. A writer made per message cost a malloc and
/// a free of its buffer, and its first text went into a buffer sized by guess; the thread's writer
/// keeps the buffer it grew to. It costs one `pthread_getspecific` per message and is freed when
/// its thread exits.
enum ThreadJSONWriter {
    private final class Box {
        var writer = JSONWriter(reservingCapacity: 1024)
    }

    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { box in
            guard let box else { return }
            Unmanaged<Box>.fromOpaque(box).release()
        }
        return status == 0 ? key : nil
    }()

    /// Runs `body` with the thread's writer, emptied first. `body` must not call back into
    /// `withWriter` (the writer is lent out until it returns).
    static func withWriter<Result>(_ body: (inout JSONWriter) -> Result) -> Result {
        guard let box = forCurrentThread() else {
            var writer = JSONWriter()
            return body(&writer)
        }
        box.writer.reset()
        return body(&box.writer)
    }

    private static func forCurrentThread() -> Box? {
        guard let key else { return nil }
        if let existing = pthread_getspecific(key) { return Unmanaged<Box>.fromOpaque(existing).takeUnretainedValue() }
        let box = Unmanaged.passRetained(Box())
        guard pthread_setspecific(key, box.toOpaque()) == 0 else {
            box.release()
            return nil
        }
        return box.takeUnretainedValue()
    }
}
