/// Appends JSON text to a byte buffer, value by value, with no intermediate `String`s.
///
/// The writer places commas and colons itself but does not check structure: callers pair
/// `beginObject`/`endObject`, write a key before each member value, and so on. It is a building
/// block for encoders (one document per call on the hot path): it owns one growable buffer,
/// written through a pointer (no per-byte uniqueness checks as with `Array.append`), that
/// callers reuse with `reset()`. Being noncopyable, it frees that buffer exactly once.
///
/// Text is exact RFC 8259: `"` `\` and control characters escaped (`\b \t \n \f \r`, otherwise
/// `\u00XX`), everything else, `/`, DEL and UTF-8 included, passed through. What JSON cannot hold
/// is replaced and counted in `lossyValueCount`: invalid UTF-8 becomes U+FFFD (one per maximal
/// invalid subpart) and a NaN or infinite double becomes `null`.
public struct JSONWriter: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0
    /// Strings repaired and doubles written as `null` since creation or the last `reset()`.
    public internal(set) var lossyValueCount = 0
    /// True after a complete value (or member): the next value or key needs a comma first.
    var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// A copy of the text written so far.
    public var bytes: [UInt8] { Array(written) }

    /// The text written so far, valid until the writer next changes.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(written)
    }

    /// Appends the text written so far to `buffer`.
    public func append(to buffer: inout [UInt8]) {
        buffer.append(contentsOf: written)
    }

    /// Forgets the text, keeping the buffer, to write the next document.
    public mutating func reset() {
        count = 0
        lossyValueCount = 0
        needsComma = false
    }

    private var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    // MARK: Structure

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// A key prepared once (`"name":`), the fast way to write keys that repeat per document.
    public mutating func key(_ key: JSONKey) {
        separate()
        key.encoded.withUnsafeBufferPointer { put($0) }
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

    /// Ends the current top-level value with `\n`: the next value starts a new JSON text (JSON
    /// lines, Elasticsearch bulk bodies).
    public mutating func lineBreak() {
        put(UInt8(ascii: "\n"))
        needsComma = false
    }

    // MARK: Values

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
        if let exact = value.withContiguousStorageIfAvailable({ appendString($0, repairing: true) }) {
            return exact
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
        put(value ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        separate()
        put("null")
        needsComma = true
    }

    // MARK: Building blocks for the other writer files

    @inline(__always)
    mutating func separate() {
        if needsComma { put(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func open(_ bracket: UInt8) {
        separate()
        put(bracket)
        needsComma = false
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        put(bracket)
        needsComma = true
    }

    mutating func appendKey(_ name: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        separate()
        let exact = appendQuoted(name, repairing: repairing)
        put(UInt8(ascii: ":"))
        needsComma = false
        return exact
    }

    mutating func appendString(_ value: UnsafeBufferPointer<UInt8>, repairing: Bool) -> Bool {
        separate()
        let exact = appendQuoted(value, repairing: repairing)
        needsComma = true
        return exact
    }

    // MARK: The buffer

    /// Room for `extra` more bytes; returns where they go. Callers then `commit` what they wrote.
    @inline(__always)
    mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if count + extra > capacity { grow(toAtLeast: count + extra) }
        return storage + count
    }

    @inline(__always)
    mutating func commit(_ written: Int) {
        count += written
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        reserve(1).initialize(to: byte)
        count += 1
    }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func put(_ text: StaticString) {
        put(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Drops what was written after `length` (to replace a value with another form).
    mutating func truncate(to length: Int) {
        count = min(count, length)
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.update(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }
}
