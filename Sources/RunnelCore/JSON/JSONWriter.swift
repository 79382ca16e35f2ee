/// Appends JSON text to a byte buffer, value by value, with no intermediate `String`s.
///
/// The writer places commas and colons itself but does not check structure: callers pair
/// `beginObject`/`endObject`, write a key before each member value, and so on. It is a building
/// block for encoders (one message per call on the hot path), so it keeps one buffer that callers
/// can reuse with `reset()`.
///
/// Text is exact RFC 8259: `"` `\` and control characters escaped (`\b \t \n \f \r`, otherwise
/// `\u00XX`), everything else, `/`, DEL and UTF-8 included, passed through. What JSON cannot hold
/// is replaced and counted in `lossyValueCount`: invalid UTF-8 becomes U+FFFD (one per maximal
/// invalid subpart) and a NaN or infinite double becomes `null`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]
    /// Strings repaired and doubles written as `null` since creation or the last `reset()`.
    public internal(set) var lossyValueCount = 0
    /// True after a complete value (or member): the next value or key needs a comma first.
    var needsComma = false

    public init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    public init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity, to write the next document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        lossyValueCount = 0
        needsComma = false
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A key prepared once (`"name":`), the fast way to write keys that repeat per document.
    public mutating func key(_ key: JSONKey) {
        separate()
        bytes.append(contentsOf: key.encoded)
        needsComma = false
    }

    public mutating func key(_ name: String) {
        var name = name
        name.withUTF8 { _ = appendKey($0, repairing: true) }
    }

    /// Returns false when invalid UTF-8 in `name` was replaced.
    @discardableResult
    public mutating func key(_ name: ByteString) -> Bool {
        name.bytes.withUnsafeBufferPointer { appendKey($0, repairing: true) }
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { _ = appendString($0, repairing: true) }
    }

    /// Returns false when invalid UTF-8 in `value` was replaced.
    @discardableResult
    public mutating func string(_ value: ByteString) -> Bool {
        value.bytes.withUnsafeBufferPointer { appendString($0, repairing: true) }
    }

    /// Returns false when invalid UTF-8 in `value` was replaced.
    @discardableResult
    public mutating func string<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        if let written = value.withContiguousStorageIfAvailable({ appendString($0, repairing: true) }) {
            return written
        }
        return Array(value).withUnsafeBufferPointer { appendString($0, repairing: true) }
    }

    public mutating func integer(_ value: Int64) {
        separate()
        appendDigits(value.magnitude, negative: value < 0)
        needsComma = true
    }

    public mutating func integer(_ value: Int) { integer(Int64(value)) }

    public mutating func unsigned(_ value: UInt64) {
        separate()
        appendDigits(value, negative: false)
        needsComma = true
    }

    /// Writes the shortest text that reads back as the same double, always with a fraction or an
    /// exponent (`1.0`, `1e+16`) so readers see a double, not an integer. NaN and the infinities
    /// are not JSON: they are written as `null` and the method returns false.
    @discardableResult
    public mutating func double(_ value: Double) -> Bool {
        guard value.isFinite else {
            null()
            lossyValueCount += 1
            return false
        }
        separate()
        appendFiniteDouble(value)
        needsComma = true
        return true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [
                UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e"),
            ])
        }
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        needsComma = true
    }

    // MARK: Building blocks shared with the other writer files

    @inline(__always)
    mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    mutating func appendKey(_ name: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        separate()
        let exact = appendQuoted(name, repairing: repairing)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        return exact
    }

    mutating func appendString(_ value: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        separate()
        let exact = appendQuoted(value, repairing: repairing)
        needsComma = true
        return exact
    }
}
