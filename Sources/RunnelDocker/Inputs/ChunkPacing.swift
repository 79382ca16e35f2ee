/// dockerd writes a followed log a line or two at a time. Read as they come, a busy stream
/// costs a thread wakeup and a batch per line or two: most of the input's CPU. When small chunks
/// follow each other closely, the reader waits a moment so the next read takes many lines at
/// once (libcurl keeps receiving meanwhile, up to its buffer). A quiet stream is never delayed:
/// the pause only starts once chunks arrive faster than `busyGap`.
struct ChunkPacing {
    var smallChunk = 32 * 1024
    var busyGap: Duration = .milliseconds(5)
    var pause: Duration = .milliseconds(3)
    private var last: ContinuousClock.Instant?

    mutating func pause(after bytes: Int) async {
        let now = ContinuousClock.now
        defer { last = ContinuousClock.now }
        guard bytes < smallChunk, let last, now - last < busyGap else { return }
        try? await Task.sleep(for: pause)
    }
}
