/// Reads protobuf wire data from contiguous memory. Every read checks the bounds of the current
/// record (`limit`) and throws with the offset of the item that does not fit, so bytes from outside
/// can never make the decoder read past its input.
struct ProtobufReader {
    private let base: UnsafePointer<UInt8>
    /// Offset of the next byte to read.
    private(set) var index: Int
    /// End of the record being read (the whole buffer, or a nested message).
    private(set) var limit: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; with limit 0 nothing is ever read through it.
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(bitPattern: 1).unsafelyUnwrapped
        self.index = 0
        self.limit = bytes.count
    }

    @inline(__always) var isAtEnd: Bool { index >= limit }
    @inline(__always) var remaining: Int { limit - index }

    @inline(__always)
    func failure(_ reason: String, at offset: Int) -> ProtobufDecodingError {
        ProtobufDecodingError(offset: offset, reason: reason)
    }

    @inline(__always)
    mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        if index < limit {
            let first = base[index]
            if first < 0x80 {
                index += 1
                return UInt64(first)
            }
        }
        return try readMultiByteVarint()
    }

    private mutating func readMultiByteVarint() throws(ProtobufDecodingError) -> UInt64 {
        let start = index
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < limit else {
                throw failure("truncated varint (input ends after \(index - start) bytes)", at: start)
            }
            let byte = base[index]
            index += 1
            // The tenth byte may only carry the top bit of a 64-bit value.
            if shift == 63 && byte > 1 {
                throw failure("varint longer than 64 bits", at: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads a tag and returns its field number and wire type.
    @inline(__always)
    mutating func readTag() throws(ProtobufDecodingError) -> (field: Int, wireType: ProtobufWireType) {
        let start = index
        let tag = try readVarint()
        let fieldNumber = tag >> 3
        guard fieldNumber != 0, fieldNumber <= 536_870_911 else {
            throw failure("invalid field number \(fieldNumber)", at: start)
        }
        guard let wireType = ProtobufWireType(rawValue: UInt8(tag & 7)) else {
            throw failure("invalid wire type \(tag & 7) for field \(fieldNumber)", at: start)
        }
        return (Int(fieldNumber), wireType)
    }

    /// Reads the length of a length-delimited record and checks that its body fits.
    @inline(__always)
    mutating func readLength() throws(ProtobufDecodingError) -> Int {
        let start = index
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw failure("length \(length) runs past the end (\(remaining) bytes left)", at: start)
        }
        return Int(length)
    }

    @inline(__always)
    mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard remaining >= 8 else {
            throw failure("truncated fixed64 (\(remaining) bytes left)", at: index)
        }
        let value = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        index += 8
        return UInt64(littleEndian: value)
    }

    /// The next 8 bytes (already bounds-checked) as a big-endian integer.
    @inline(__always)
    mutating func readBigEndianUInt64() -> UInt64 {
        let value = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        index += 8
        return UInt64(bigEndian: value)
    }

    /// How many length-delimited records with the single-byte tag `tag` follow one another from
    /// `start`; stops at anything else or anything malformed.
    func countConsecutiveRecords(tag: UInt8, from start: Int) -> Int {
        var probe = self
        probe.index = start
        var count = 0
        while probe.index < probe.limit, probe.base[probe.index] == tag {
            probe.index += 1
            guard let length = try? probe.readLength() else { break }
            probe.index += length
            count += 1
        }
        return count
    }

    /// The next `count` bytes (already bounds-checked by `readLength`) as a new array.
    @inline(__always)
    mutating func readBytes(_ count: Int) -> [UInt8] {
        let bytes = [UInt8](UnsafeBufferPointer(start: base + index, count: count))
        index += count
        return bytes
    }

    /// Reads a length-delimited body as bytes.
    @inline(__always)
    mutating func readDelimited() throws(ProtobufDecodingError) -> [UInt8] {
        let count = try readLength()
        return readBytes(count)
    }

    /// Narrows reading to the next `length` bytes; returns the outer limit for `endRecord`.
    @inline(__always)
    mutating func beginRecord(length: Int) -> Int {
        let outer = limit
        limit = index + length
        return outer
    }

    @inline(__always)
    mutating func endRecord(restoring outer: Int) {
        limit = outer
    }

    /// Skips the value of a field this decoder does not know, whatever its wire type.
    mutating func skipValue(field: Int, wireType: ProtobufWireType, tagOffset: Int) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint:
            _ = try readVarint()
        case .fixed64:
            try skip(8, what: "fixed64")
        case .fixed32:
            try skip(4, what: "fixed32")
        case .lengthDelimited:
            index += try readLength()
        case .startGroup:
            try skipGroup(field: field, tagOffset: tagOffset)
        case .endGroup:
            throw failure("end-group for field \(field) without a start-group", at: tagOffset)
        }
    }

    private mutating func skip(_ count: Int, what: String) throws(ProtobufDecodingError) {
        guard remaining >= count else {
            throw failure("truncated \(what) (\(remaining) bytes left)", at: index)
        }
        index += count
    }

    /// Skips a (deprecated) group up to its matching end-group, nested groups included. Iterative,
    /// so deeply nested hostile input cannot exhaust the stack.
    private mutating func skipGroup(field: Int, tagOffset: Int) throws(ProtobufDecodingError) {
        var openGroups = [field]
        while let innermost = openGroups.last {
            guard !isAtEnd else {
                throw failure("group for field \(innermost) is not closed", at: tagOffset)
            }
            let start = index
            let (nested, wireType) = try readTag()
            switch wireType {
            case .startGroup:
                openGroups.append(nested)
            case .endGroup:
                guard nested == innermost else {
                    throw failure("end-group for field \(nested) inside group \(innermost)", at: start)
                }
                openGroups.removeLast()
            default:
                try skipValue(field: nested, wireType: wireType, tagOffset: start)
            }
        }
    }

    /// Throws unless `actual` is the wire type the schema gives the field.
    @inline(__always)
    func expect(_ actual: ProtobufWireType, _ expected: ProtobufWireType, field: String, tagOffset: Int)
        throws(ProtobufDecodingError)
    {
        guard actual == expected else {
            throw failure("\(field) has wire type \(actual.name), expected \(expected.name)", at: tagOffset)
        }
    }
}
