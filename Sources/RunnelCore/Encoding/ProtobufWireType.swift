/// The wire types of the protobuf encoding (the low three bits of a tag).
enum ProtobufWireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }

    /// The single-byte tag of a field numbered below 16.
    @inline(__always)
    static func tag(_ fieldNumber: Int, _ wireType: ProtobufWireType) -> UInt8 {
        UInt8(fieldNumber << 3) | wireType.rawValue
    }
}

enum ProtobufVarint {
    /// Bytes a varint of `value` occupies (1...10).
    @inline(__always)
    static func size(_ value: UInt64) -> Int {
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    @inline(__always)
    static func size(_ value: Int) -> Int { size(UInt64(truncatingIfNeeded: value)) }

    /// Size of a length-delimited record (tag byte, length, body) whose body is `length` bytes.
    @inline(__always)
    static func delimitedSize(_ length: Int) -> Int { 1 + size(length) + length }
}
