import CPCRE2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled, JIT-compiled PCRE2 pattern that answers "does it match anywhere in these bytes?".
///
/// Options chosen to stay close to Heka's Go (RE2) regexes: UTF mode, so `.` and classes see whole
/// characters; `$` only at the very end (RE2's `$`, not Perl's "before a final newline");
/// invalid UTF-8 in a subject is allowed and simply never matched by any pattern item.
final class PCRE2Regex: @unchecked Sendable {
    // Sendable proof: `code` and `isJITCompiled` are written once in init and never again; PCRE2
    // documents a compiled pattern (JIT code included) as read-only during matching and safe to
    // share between threads. Per-match mutable state lives in match data, which is per thread
    // (PCRE2MatchData).
    private let code: OpaquePointer
    private let isJITCompiled: Bool

    struct CompileError: Error {
        /// Byte offset in the pattern where PCRE2 stopped.
        var patternOffset: Int
        var message: String
    }

    static let compileOptions: UInt32 = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY
        | PCRE2_NEVER_BACKSLASH_C

    init(pattern: [UInt8]) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = pattern.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, Self.compileOptions, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(patternOffset: errorOffset, message: Self.message(for: errorCode))
        }
        // Without JIT (unsupported CPU, no executable memory) pcre2_match still works, interpreted.
        self.isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        self.code = compiled
    }

    deinit { pcre2_code_free_8(code) }

    /// True when the pattern matches somewhere in `subject`. A match that PCRE2 abandons (its match
    /// or heap limit reached on a pathological pattern) counts as no match.
    func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = subject.baseAddress else {
            var nothing: UInt8 = 0
            return withUnsafePointer(to: &nothing) { match(start: $0, count: 0) }
        }
        return match(start: start, count: subject.count)
    }

    private func match(start: UnsafePointer<UInt8>, count: Int) -> Bool {
        let result: Int32
        if isJITCompiled {
            // pcre2_jit_match skips pcre2_match's argument checks, which hold here: the code is
            // JIT-compiled, the subject pointer is valid, and invalid UTF-8 is allowed by
            // PCRE2_MATCH_INVALID_UTF, so no UTF check is needed.
            let first = PCRE2MatchData.withThreadBlock { pcre2_jit_match_8(code, start, count, 0, 0, $0, nil) }
            if first == PCRE2_ERROR_JIT_STACKLIMIT {
                result = PCRE2BacktrackingLimits.withLargeJITStack { context in
                    PCRE2MatchData.withThreadBlock { pcre2_jit_match_8(code, start, count, 0, 0, $0, context) }
                }
            } else {
                result = first
            }
        } else {
            let context = PCRE2BacktrackingLimits.interpreter.pointer
            result = PCRE2MatchData.withTemporaryBlock { pcre2_match_8(code, start, count, 0, 0, $0, context) }
        }
        // 0 means "matched, ovector too small for the groups": still a match.
        return result >= 0
    }

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(errorCode, $0.baseAddress, $0.count) }
        guard length > 0 else { return "PCRE2 error \(errorCode)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }
}
