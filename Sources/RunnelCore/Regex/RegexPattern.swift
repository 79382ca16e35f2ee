import CPCRE2

/// A PCRE2 pattern (JIT-compiled, with the matcher's options) for plugins that need more than
/// "does it match": where it matched and what its groups captured (RegexSplitter,
/// PayloadRegexDecoder, `file_match`).
public final class RegexPattern: @unchecked Sendable {
    // Sendable proof: every stored property is written once in init; PCRE2 documents compiled code
    // (JIT included) as read-only during matching and shareable between threads. Match data, the
    // only state a match writes, is created per call.
    private let code: OpaquePointer
    private let isJITCompiled: Bool
    public let pattern: String
    /// Named groups, by name, with their group numbers.
    public let namedGroups: [(name: String, number: Int)]
    public let groupCount: Int

    public struct CompileError: Error, Sendable, CustomStringConvertible {
        public let pattern: String
        public let offset: Int
        public let message: String
        public var description: String { "\(message) at offset \(offset) in /\(pattern)/" }
    }

    /// A match: the whole match's byte range and each group's (nil when the group did not take part).
    public struct Match: Sendable, Equatable {
        public let range: Range<Int>
        public let groups: [Range<Int>?]
    }

    public init(_ pattern: String) throws(CompileError) {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, PCRE2Regex.compileOptions, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(pattern: pattern, offset: errorOffset, message: PCRE2Regex.message(for: errorCode))
        }
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        if isJITCompiled { _ = pcre2_jit_compile_8(compiled, PCRE2_JIT_PARTIAL_HARD) }  // for `search`
        code = compiled
        var captures: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        groupCount = Int(captures)
        namedGroups = Self.readNameTable(compiled)
    }

    deinit { pcre2_code_free_8(code) }

    public func matches<C: Collection>(_ subject: C) -> Bool where C.Element == UInt8 {
        firstMatch(in: subject) != nil
    }

    /// The first match at or after byte `start`.
    public func firstMatch<C: Collection>(in subject: C, from start: Int = 0) -> Match? where C.Element == UInt8 {
        if case .found(let match) = run(subject, from: start, options: 0) { return match }
        return nil
    }

    /// What a search of text that may still grow found (PCRE2's hard partial matching).
    public enum Search: Sendable, Equatable {
        case found(Match)
        /// A match may start or grow past the end of the text read so far (`\n+` ending it,
        /// half a multi-byte delimiter): wait for more text before deciding.
        case needsMoreInput
        case notFound
    }

    /// The first match at or after byte `start` that more text could not change: for splitters
    /// reading a stream in chunks.
    public func search<C: Collection>(in subject: C, from start: Int = 0) -> Search where C.Element == UInt8 {
        run(subject, from: start, options: PCRE2_PARTIAL_HARD)
    }

    private func run<C: Collection>(_ subject: C, from start: Int, options: UInt32) -> Search where C.Element == UInt8 {
        if let result = subject.withContiguousStorageIfAvailable({ match($0, from: start, options: options) }) { return result }
        return Array(subject).withUnsafeBufferPointer { match($0, from: start, options: options) }
    }

    private func match(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, options: UInt32) -> Search {
        guard start <= subject.count, let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return .notFound }
        defer { pcre2_match_data_free_8(matchData) }
        var empty: UInt8 = 0
        let result: Int32 = withUnsafePointer(to: &empty) { fallback in
            let base = subject.baseAddress ?? fallback
            // pcre2_match uses the JIT code compiled for the options given, or interprets.
            return isJITCompiled && options == 0
                ? pcre2_jit_match_8(code, base, subject.count, start, 0, matchData, nil)
                : pcre2_match_8(code, base, subject.count, start, options, matchData, nil)
        }
        if result == PCRE2_ERROR_PARTIAL { return .needsMoreInput }
        guard result >= 0, let ovector = pcre2_get_ovector_pointer_8(matchData) else { return .notFound }
        let unset = ~Int(0)
        func range(_ group: Int) -> Range<Int>? {
            // PCRE2_UNSET is all bits set; PCRE2_SIZE imports as Int on Linux, so convert by bits.
            let lower = Int(truncatingIfNeeded: ovector[2 * group])
            let upper = Int(truncatingIfNeeded: ovector[2 * group + 1])
            guard lower != unset, upper != unset, lower <= upper else { return nil }
            return lower..<upper
        }
        guard let whole = range(0) else { return .notFound }
        return .found(Match(range: whole, groups: (0...groupCount).dropFirst().map { range($0) }))
    }

    private static func readNameTable(_ code: OpaquePointer) -> [(name: String, number: Int)] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard count > 0, let table else { return [] }
        var names: [(String, Int)] = []
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            let nameBytes = UnsafeBufferPointer(start: entry + 2, count: Int(entrySize) - 2).prefix { $0 != 0 }
            names.append((String(decoding: nameBytes, as: UTF8.self), number))
        }
        return names.sorted { $0.1 < $1.1 }
    }
}
