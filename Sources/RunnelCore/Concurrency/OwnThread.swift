import Foundation

/// Runs blocking work (file, socket or pipe reads) on a thread of its own and awaits its result.
/// Neither the cooperative pool (two threads on a 2-core node) nor Dispatch's global queue (which
/// adds threads slowly when they block) is a place for it.
public func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
