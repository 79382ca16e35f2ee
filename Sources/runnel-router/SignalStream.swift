import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Delivers signals as an async sequence. The handlers run on a global queue, so this is built
/// outside the main actor (top-level code would make the handlers main-actor isolated and trap).
enum SignalStream {
    /// The stream and the sources; keep the sources alive as long as signals should arrive.
    static func make(_ numbers: [Int32]) -> (stream: AsyncStream<Int32>, sources: [any DispatchSourceSignal]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        return (stream, sources)
    }
}
