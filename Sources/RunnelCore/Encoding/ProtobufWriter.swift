/// Writes protobuf wire data into memory sized beforehand by the caller (from `encodedSize`), so
/// each write is a plain store with no capacity or uniqueness checks.
struct ProtobufWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private(set) var index: Int

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) {
        // A zero-capacity buffer has no base address; the callers never write to one.
        self.base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1).unsafelyUnwrapped
        self.index = index
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[index] = value
        index += 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            base[index] = UInt8(truncatingIfNeeded: value) | 0x80
            index += 1
            value >>= 7
        }
        base[index] = UInt8(truncatingIfNeeded: value)
        index += 1
    }

    @inline(__always)
    mutating func varint(_ value: Int) { varint(UInt64(truncatingIfNeeded: value)) }

    @inline(__always)
    mutating func fixed64(_ value: UInt64) {
        UnsafeMutableRawPointer(base + index).storeBytes(of: value.littleEndian, as: UInt64.self)
        index += 8
    }

    @inline(__always)
    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            if let address = source.baseAddress {
                (base + index).update(from: address, count: source.count)
            }
        }
        index += bytes.count
    }

    @inline(__always)
    mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        if let address = bytes.baseAddress {
            UnsafeMutableRawPointer(base + index).copyMemory(from: address, byteCount: bytes.count)
        }
        index += bytes.count
    }

    /// A length-delimited record: tag, length, bytes.
    @inline(__always)
    mutating func delimited(_ tag: UInt8, _ bytes: [UInt8]) {
        byte(tag)
        varint(bytes.count)
        raw(bytes)
    }
}

extension Array where Element == UInt8 {
    /// Appends exactly `count` bytes written by `write`, which must advance the writer by `count`.
    @inline(__always)
    mutating func appendWritten(count: Int, _ write: (inout ProtobufWriter) -> Void) {
        let start = self.count
        append(contentsOf: repeatElement(0, count: count))
        withUnsafeMutableBufferPointer { buffer in
            var writer = ProtobufWriter(buffer, at: start)
            write(&writer)
            assert(writer.index == start + count, "encodedSize disagrees with the bytes written")
        }
    }
}
