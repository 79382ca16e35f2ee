import Foundation

/// One micro benchmark. `body(n)` performs the operation `n` times and returns a value derived from
/// the work so the optimiser cannot remove it.
struct Benchmark {
    let name: String
    /// Bytes processed per operation, when a MiB/s figure makes sense.
    let bytesPerOperation: Int?
    let body: (Int) -> Int
    /// Untimed preparation (files to read back, say), run once before the first sample.
    let setUp: (() -> Void)?

    init(_ name: String, bytesPerOperation: Int? = nil, setUp: (() -> Void)? = nil, body: @escaping (Int) -> Int) {
        self.name = name
        self.bytesPerOperation = bytesPerOperation
        self.setUp = setUp
        self.body = body
    }
}

/// Runs each benchmark for about `seconds` per sample and keeps the best of `samples` (the least
/// disturbed by other work on a shared machine). Prints one JSON line per benchmark, the same shape
/// the peer scripts in `peers/` print, so `compare.py` can pair them.
struct Harness {
    var seconds = 0.4
    var samples = 5

    /// With `RUNNEL_BENCH_ITERATIONS=N` each benchmark runs exactly N operations once, for tools
    /// that count instructions (`valgrind --tool=callgrind`), which stay comparable on a busy machine.
    var fixedIterations = ProcessInfo.processInfo.environment["RUNNEL_BENCH_ITERATIONS"].flatMap { Int($0) }

    func run(_ benchmark: Benchmark) {
        benchmark.setUp?()
        if let fixedIterations {
            let elapsed = time { _ = benchmark.body(fixedIterations) }
            print("{\"impl\":\"runnel\",\"name\":\"\(benchmark.name)\",\"iterations\":\(fixedIterations),\"seconds\":\(elapsed)}")
            return
        }
        var sink = 0
        var iterations = 1
        // Calibrate: grow n until one sample takes long enough to time reliably.
        while true {
            let elapsed = time { sink &+= benchmark.body(iterations) }
            if elapsed >= seconds / 4 || iterations >= 1 << 30 {
                iterations = max(1, Int(Double(iterations) * seconds / max(elapsed, 1e-9)))
                break
            }
            iterations *= 4
        }
        var best = Double.infinity
        for _ in 0..<samples {
            best = min(best, time { sink &+= benchmark.body(iterations) })
        }
        let opsPerSecond = Double(iterations) / best
        var line = "{\"impl\":\"runnel\",\"name\":\"\(benchmark.name)\",\"ops_per_sec\":\(Int(opsPerSecond))"
        if let bytes = benchmark.bytesPerOperation {
            let mib = opsPerSecond * Double(bytes) / 1_048_576
            line += ",\"mib_per_sec\":\(String(format: "%.1f", mib))"
        }
        line += ",\"sink\":\(sink & 1)}"
        print(line)
        fflush(nil)  // all streams: naming `stdout` is an error under Swift 6 strict concurrency on Linux
    }

    private func time(_ work: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
