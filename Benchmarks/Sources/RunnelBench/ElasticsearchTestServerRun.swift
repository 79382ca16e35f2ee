import Foundation
import RunnelESTestServer

/// Serves BulkTestServer, the `_bulk` stand-in the Elasticsearch tests use (it parses and
/// validates every document, applies the mapping rule and stores the sources), on a loopback port
/// written to PORT_FILE, until the process is killed. Benchmarks/elasticsearch/run.sh times Runnel
/// and curl against it: the server the benchmark names.
enum ElasticsearchTestServerRun {
    static func main(_ arguments: [String]) async {
        guard let portFile = arguments.first else {
            FileHandle.standardError.write(Data("usage: RunnelBench --es-test-server PORT_FILE\n".utf8))
            exit(64)
        }
        do {
            let server = try await BulkTestServer.start()
            try Data("\(server.port)".utf8).write(to: URL(fileURLWithPath: portFile))
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {
            FileHandle.standardError.write(Data("es-test-server: \(error)\n".utf8))
            exit(1)
        }
    }
}
