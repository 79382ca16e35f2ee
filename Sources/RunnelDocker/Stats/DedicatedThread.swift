import Foundation

/// Runs blocking work (file reads) on a thread of its own and awaits it, keeping it off the
/// cooperative pool whose few threads must never block.
func onDedicatedThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
