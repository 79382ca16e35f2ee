/// Splits a byte stream into newline-terminated lines, keeping line numbers and byte offsets, and
/// never buffering more than `maxLineLength` bytes of one line.
struct LineSplitter {
    enum Item: Equatable {
        case line(ArraySlice<UInt8>, number: Int, offset: Int64)
        /// A line longer than the limit: skipped up to its newline.
        case tooLong(number: Int, offset: Int64, length: Int)
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var bufferOffset: Int64
    private var lineNumber = 1
    private let maxLineLength: Int
    /// While skipping an over-long line: its start offset and the length seen so far.
    private var skipping: (number: Int, offset: Int64, length: Int)?

    init(startOffset: Int64 = 0, maxLineLength: Int) {
        bufferOffset = startOffset
        self.maxLineLength = maxLineLength
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            bufferOffset += Int64(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    mutating func next() -> Item? {
        let newline = buffer[readIndex...].firstIndex(of: 0x0A)
        if let skip = skipping {
            guard let newline else {
                skipping!.length += buffer.count - readIndex
                consume(upTo: buffer.count)
                return nil
            }
            let total = skip.length + (newline - readIndex)
            consume(upTo: newline + 1)
            skipping = nil
            lineNumber += 1
            return .tooLong(number: skip.number, offset: skip.offset, length: total)
        }
        guard let newline else {
            if buffer.count - readIndex > maxLineLength {
                skipping = (lineNumber, offset(of: readIndex), buffer.count - readIndex)
                consume(upTo: buffer.count)
            }
            return nil
        }
        if newline - readIndex > maxLineLength {
            let item = Item.tooLong(number: lineNumber, offset: offset(of: readIndex), length: newline - readIndex)
            consume(upTo: newline + 1)
            lineNumber += 1
            return item
        }
        let item = Item.line(buffer[readIndex..<newline], number: lineNumber, offset: offset(of: readIndex))
        consume(upTo: newline + 1)
        lineNumber += 1
        return item
    }

    /// The unterminated last line, if any, at end of input.
    mutating func finish() -> Item? {
        if let skip = skipping {
            skipping = nil
            return .tooLong(number: skip.number, offset: skip.offset, length: skip.length + buffer.count - readIndex)
        }
        guard readIndex < buffer.count else { return nil }
        let item = Item.line(buffer[readIndex...], number: lineNumber, offset: offset(of: readIndex))
        consume(upTo: buffer.count)
        return item
    }

    private func offset(of index: Int) -> Int64 { bufferOffset + Int64(index) }

    private mutating func consume(upTo index: Int) {
        readIndex = index
        if readIndex == buffer.count {
            bufferOffset += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
    }
}
