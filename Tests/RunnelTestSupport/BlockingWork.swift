import Foundation

/// Runs blocking work (socket reads, pipe reads) on a thread of its own and awaits its result.
/// Neither the cooperative pool (two threads here) nor Dispatch's global queue (which adds threads
/// slowly when they block) is a place for it.
public func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.start()
    }
}
