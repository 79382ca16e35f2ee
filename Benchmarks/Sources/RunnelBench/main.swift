// `runnel-bench [substring …]` runs the benchmarks whose names contain any of the substrings.
let registry: [Benchmark] = [
    // Each suite adds its list here.
] + CodecBenchmarks.all + MatcherBenchmarks.all + JSONBenchmarks.all + FilterBenchmarks.all + DecoderBenchmarks.all
    + DiskQueueBenchmarks.all

let filters = Array(CommandLine.arguments.dropFirst())
let harness = Harness()
for benchmark in registry where filters.isEmpty || filters.contains(where: { benchmark.name.contains($0) }) {
    harness.run(benchmark)
}
