import Foundation
// `runnel-bench [substring …]` runs the benchmarks whose names contain any of the substrings.
// `runnel-bench --es-bulk URL COUNT` runs ElasticsearchBulkRun instead (Benchmarks/elasticsearch/run.sh).
// `runnel-bench --es-test-server PORT_FILE` serves the tests' Elasticsearch stand-in until killed.
if CommandLine.arguments.dropFirst().first == "--es-bulk" {
    await ElasticsearchBulkRun.main(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "--es-test-server" {
    await ElasticsearchTestServerRun.main(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let registry: [Benchmark] = [
    // Each suite adds its list here.
] + CodecBenchmarks.all + MatcherBenchmarks.all + JSONBenchmarks.all + FilterBenchmarks.all + DecoderBenchmarks.all
    + DiskQueueBenchmarks.all + ElasticsearchBenchmarks.all

let filters = Array(CommandLine.arguments.dropFirst())
let harness = Harness()
for benchmark in registry where filters.isEmpty || filters.contains(where: { benchmark.name.contains($0) }) {
    harness.run(benchmark)
}
