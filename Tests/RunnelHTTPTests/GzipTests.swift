import Foundation
import RunnelHTTP
import Testing

@Suite struct GzipTests {
    @Test func roundTripsAndShrinksRepetitiveBodies() throws {
        let body = Array(String(repeating: "{\"index\":{\"_index\":\"logs\"}}\n{\"Payload\":\"GET / 200\"}\n", count: 2000).utf8)
        let compressed = try Gzip.compress(body)
        #expect(compressed.count < body.count / 10)
        #expect(compressed.prefix(2) == [0x1F, 0x8B], "gzip magic, not a zlib stream")
        #expect(try Gzip.decompress(compressed) == body)
        #expect(try Gzip.decompress(try Gzip.compress([])) == [])
    }

    @Test func damagedOrOversizedInputFails() throws {
        let compressed = try Gzip.compress(Array(repeating: 0x61, count: 100_000))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(compressed.prefix(compressed.count / 2))) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("not gzip".utf8)) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(compressed, maxBytes: 1000) }
    }
}
