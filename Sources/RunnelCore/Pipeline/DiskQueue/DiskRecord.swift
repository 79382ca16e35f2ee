/// The framing of one message in a disk queue segment (docs/disk-queue.md):
///
///     offset  size  field
///     0       4     magic "RNQ1" (0x52 0x4E 0x51 0x31)
///     4       4     payload length, unsigned little-endian
///     8       4     CRC-32C of the payload, little-endian
///     12      4     CRC-32C of bytes 0..<12, little-endian
///     16      n     payload: the message in Heka protobuf form
///
/// The header has its own checksum so that a reader resynchronising after damage can reject a
/// false start in constant time, without reading a bogus length's worth of bytes.
public enum DiskRecord {
    public static let headerSize = 16
    static let magic: [UInt8] = [0x52, 0x4E, 0x51, 0x31]

    /// Why a header was rejected.
    enum HeaderProblem: String, Error, Sendable {
        case badMagic = "bad magic"
        case badHeaderChecksum = "bad header checksum"
        case impossibleLength = "impossible length"
    }

    /// Appends one record whose payload `writePayload` appends to the buffer it is given.
    static func append(to buffer: inout [UInt8], writePayload: (inout [UInt8]) -> Void) {
        let start = buffer.count
        buffer.append(contentsOf: magic)
        buffer.append(contentsOf: repeatElement(0, count: headerSize - magic.count))
        writePayload(&buffer)
        let length = buffer.count - start - headerSize
        buffer.withUnsafeMutableBytes { raw in
            let payload = UnsafeRawBufferPointer(rebasing: raw[(start + headerSize)...])
            raw.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: start + 4, as: UInt32.self)
            raw.storeBytes(of: CRC32C.checksum(payload).littleEndian, toByteOffset: start + 8, as: UInt32.self)
            let header = UnsafeRawBufferPointer(rebasing: raw[start..<(start + 12)])
            raw.storeBytes(of: CRC32C.checksum(header).littleEndian, toByteOffset: start + 12, as: UInt32.self)
        }
    }

    /// The payload length a header announces, or why the header is not one.
    static func payloadLength(header: UnsafeRawBufferPointer, maxPayload: Int) -> Result<Int, HeaderProblem> {
        guard header[0] == magic[0], header[1] == magic[1], header[2] == magic[2], header[3] == magic[3] else {
            return .failure(.badMagic)
        }
        let stored = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[0..<12])) == stored else {
            return .failure(.badHeaderChecksum)
        }
        let length = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        return length <= maxPayload ? .success(length) : .failure(.impossibleLength)
    }

    /// True when the payload matches the checksum in its (already validated) header.
    static func payloadIsIntact(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> Bool {
        UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) == CRC32C.checksum(payload)
    }
}

/// Messages framed as disk records, ready to append: one batch from the router.
public struct DiskRecordBatch: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Where each record ends in `bytes`, so that a segment can be rotated between two records.
    public private(set) var recordEnds: [Int] = []

    public init() {}

    public init(_ messages: [Message]) {
        bytes.reserveCapacity(messages.count * 256)
        recordEnds.reserveCapacity(messages.count)
        for message in messages { append(message) }
    }

    public mutating func append(_ message: Message) {
        DiskRecord.append(to: &bytes) { MessageProtobuf.encode(message, into: &$0) }
        recordEnds.append(bytes.count)
    }

    public var count: Int { recordEnds.count }
}
