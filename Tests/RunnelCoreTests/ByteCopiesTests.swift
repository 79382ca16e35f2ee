import Testing
@testable import RunnelCore

@Suite struct ByteCopiesTests {
    @Test func aRawBufferIsCopiedWhole() {
        let source: [UInt8] = Array(0...255) + Array(0...43)
        let copy = source.withUnsafeBytes { Array(copying: $0) }
        #expect(copy == source)
    }

    @Test func aSliceIsCopiedFromItsOwnStart() {
        let source: [UInt8] = Array("head|middle|tail".utf8)
        #expect(Array(copying: source[5..<11]) == Array("middle".utf8))
    }

    @Test func emptyAndMissingBuffersGiveEmptyArrays() {
        #expect(Array(copying: UnsafeRawBufferPointer(start: nil, count: 0)).isEmpty)
        let source: [UInt8] = [1, 2, 3]
        #expect(Array(copying: source[1..<1]).isEmpty)
    }
}
