import Testing
@testable import RunnelCore

@Suite struct CRC32CTests {
    @Test func matchesTheStandardCheckValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func continuingOverPiecesEqualsTheWhole() {
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let whole = CRC32C.checksum(bytes)
        for cut in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = bytes[..<cut].withUnsafeBytes { CRC32C.checksum($0) }
            let both = bytes[cut...].withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
            #expect(both == whole, "cut at \(cut)")
        }
    }
}
