import Testing
@testable import RunnelCore

@Suite struct ByteSearchTests {
    @Test func findsTheFirstByteAtOrAfterTheStart() {
        let bytes: [UInt8] = Array("a\nbc\nd".utf8)
        bytes.withUnsafeBytes { raw in
            #expect(raw.indexOfByte(0x0A, from: 0) == 1)
            #expect(raw.indexOfByte(0x0A, from: 1) == 1)
            #expect(raw.indexOfByte(0x0A, from: 2) == 4)
            #expect(raw.indexOfByte(0x0A, from: 5) == nil)
        }
    }

    @Test func startsOutsideTheBufferFindNothing() {
        let bytes: [UInt8] = [1, 2, 3]
        bytes.withUnsafeBytes { raw in
            #expect(raw.indexOfByte(3, from: 3) == nil)
            #expect(raw.indexOfByte(1, from: -1) == nil)
        }
        #expect(UnsafeRawBufferPointer(start: nil, count: 0).indexOfByte(0, from: 0) == nil)
    }
}
