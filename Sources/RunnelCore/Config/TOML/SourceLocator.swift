/// One `%ENV[...]` replacement: where its text sits in the parsed bytes and where the
/// `%ENV[...]` token sat in the original file.
struct EnvSubstitutionSpan: Sendable, Equatable {
    var outputRange: Range<Int>
    var originalRange: Range<Int>
    var variable: String
    /// True when the text came from the environment (a secret); false when it came from the
    /// default written in the file.
    var isSecret: Bool
}

/// Turns byte offsets of the text the parser saw (after `%ENV` substitution) into locations in
/// the file the user wrote, and tells which offsets hold substituted secrets.
struct SourceLocator: Sendable {
    let file: String
    private let original: [UInt8]
    private let lineStarts: [Int]
    private let substitutions: [EnvSubstitutionSpan]

    init(file: String, original: [UInt8], substitutions: [EnvSubstitutionSpan] = []) {
        self.file = file
        self.original = original
        self.substitutions = substitutions.sorted { $0.outputRange.lowerBound < $1.outputRange.lowerBound }
        var starts = [0]
        for (offset, byte) in original.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The location in the original file of a byte offset in the parsed text. An offset inside
    /// substituted text maps to the start of its `%ENV[...]` token.
    func location(ofParsedOffset offset: Int) -> FileLocation {
        location(ofOriginalOffset: originalOffset(ofParsedOffset: offset))
    }

    func location(ofOriginalOffset offset: Int) -> FileLocation {
        let clamped = max(0, min(offset, original.count))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        var column = 1
        var index = lineStarts[low]
        while index < clamped {
            if original[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return FileLocation(file: file, line: low + 1, column: column)
    }

    func originalOffset(ofParsedOffset offset: Int) -> Int {
        var shift = 0
        for span in substitutions {
            if offset < span.outputRange.lowerBound { break }
            if offset < span.outputRange.upperBound { return span.originalRange.lowerBound }
            shift = span.originalRange.upperBound - span.outputRange.upperBound
        }
        return offset + shift
    }

    /// The environment variable whose secret value overlaps `range` of the parsed text, if any.
    func secretVariable(overlapping range: Range<Int>) -> String? {
        for span in substitutions where span.isSecret {
            if span.outputRange.overlaps(range) { return span.variable }
            // An empty range (a point) inside a span counts too.
            if range.isEmpty, span.outputRange.contains(range.lowerBound) { return span.variable }
        }
        return nil
    }
}
