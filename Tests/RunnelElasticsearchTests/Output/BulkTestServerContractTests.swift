import Foundation
import RunnelCore
import RunnelHTTP
import Testing
import RunnelESTestServer

/// The test server keeps Elastic's documented `_bulk` contract where the output relies on it,
/// checked over HTTP with the curl client.
@Suite struct BulkTestServerContractTests {
    static func post(_ server: BulkTestServer, _ path: String, _ body: String) async throws -> (Int, JSONValue) {
        let request = HTTPClientRequest(method: "POST", url: server.url + path, headers: [("Content-Type", "application/x-ndjson")],
                                        body: Array(body.utf8), timeout: .seconds(10))
        let (status, _, response) = try await CurlHTTPClient.shared.send(request)
        return (status, try JSONReader.parse(response))
    }

    static func get(_ server: BulkTestServer, _ path: String) async throws -> (Int, [UInt8]) {
        let (status, _, body) = try await CurlHTTPClient.shared.send(HTTPClientRequest(url: server.url + path, timeout: .seconds(10)))
        return (status, body)
    }

    @Test func perItemResultsInOrderWithErrorsFlag() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        let (status, response) = try await Self.post(server, "/logs/_bulk", """
            {"index":{"_id":"1"}}
            {"n":1}
            {"create":{"_index":"other","_id":"1"}}
            {"n":"text"}
            {"create":{"_id":"1"}}
            {"n":2}
            {"index":{"_id":"2"}}
            {"n":"not a number"}
            {"index":{"_id":"3"}}
            {not json
            {"delete":{"_id":"9"}}
            {"update":{"_id":"1"}}
            {"doc":{"n":3}}

            """)
        #expect(status == 200 && response["errors"] == .bool(true))
        guard case .array(let items)? = response["items"] else { Issue.record("no items"); return }
        let statuses = items.compactMap { item -> Int? in
            guard case .object(let members) = item, case .integer(let status)? = members.first?.value["status"] else { return nil }
            return Int(status)
        }
        #expect(statuses == [201, 201, 409, 400, 400, 404, 400])
        #expect(items[3]["index"]?["error"]?["type"] == .string("mapper_parsing_exception"))
        #expect(items[1]["create"]?["_index"] == .string("other"))
        let (found, body) = try await Self.get(server, "/logs/_doc/1")
        let document = try JSONReader.parse(body)
        #expect(found == 200 && document["_source"] == .object([JSONMember(key: "n", value: .integer(1))]))
        let (_, stored) = try await Self.get(server, "/_test/stored")
        #expect(Set(String(decoding: stored, as: UTF8.self).split(separator: "\n")) == ["logs 1 1", "other 1 1"])
    }

    @Test func resetForgetsDocumentsAndMappingsButKeepsFaults() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        server.setFaults { $0.maxBodyBytes = 1 << 20 }
        _ = try await Self.post(server, "/logs/_bulk", "{\"create\":{\"_id\":\"1\"}}\n{\"n\":1}\n")
        #expect(server.storedCount == 1)
        let (status, _) = try await Self.post(server, "/_test/reset", "")
        #expect(status == 200 && server.storedCount == 0)
        // The same id is created again (no 409) and the field may take another kind (no mapping left).
        let (_, response) = try await Self.post(server, "/logs/_bulk", "{\"create\":{\"_id\":\"1\"}}\n{\"n\":\"text\"}\n")
        #expect(response["errors"] == .bool(false))
        #expect(server.state.withLock { $0.faults.maxBodyBytes } == 1 << 20)
    }

    @Test func wholeRequestErrors() async throws {
        let server = try await BulkTestServer.start()
        defer { Task { await server.stop() } }
        #expect(try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n{}").0 == 400, "must end with a newline")
        #expect(try await Self.post(server, "/_bulk", "not json\n{}\n").0 == 400, "malformed action line")
        #expect(try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n").0 == 400, "missing document line")
        server.setFaults { $0.wholeRequestStatuses = [429, 503]; $0.maxBodyBytes = 100 }
        let (throttled, error) = try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n{}\n")
        #expect(throttled == 429 && error["error"]?["type"] == .string("es_rejected_execution_exception"))
        #expect(try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n{}\n").0 == 503)
        #expect(try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n{\"pad\":\"\(String(repeating: "x", count: 200))\"}\n").0 == 413)
        #expect(try await Self.post(server, "/_bulk", "{\"index\":{\"_index\":\"i\"}}\n{}\n").0 == 200)
    }
}
