import CPCRE2

/// Memory for backtracking on long subjects.
///
/// PCRE2 backtracks, and its state grows with the subject for patterns like `^(a|b)*$`: the JIT
/// needs roughly 20–40 bytes of stack per subject byte, the interpreter about 160. The JIT's default
/// 32 KiB stack therefore runs out near a few KB of such text, which would turn a true answer into
/// "no match". Instead the match is retried on a JIT stack that may grow to `maximumBytes`, created
/// for that match and unmapped right after (its pages are only committed as they are touched).
/// Beyond that the match counts as no match: memory stays bounded, as DESIGN §1 asks.
enum PCRE2BacktrackingLimits {
    static let maximumBytes = 128 << 20

    /// Runs `body` with a match context whose JIT stack may grow to `maximumBytes`.
    static func withLargeJITStack(_ body: (OpaquePointer) -> Int32) -> Int32 {
        guard let stack = pcre2_jit_stack_create_8(32 << 10, maximumBytes, nil) else { return PCRE2_ERROR_NOMEMORY }
        defer { pcre2_jit_stack_free_8(stack) }
        guard let context = pcre2_match_context_create_8(nil) else { return PCRE2_ERROR_NOMEMORY }
        defer { pcre2_match_context_free_8(context) }
        pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
        return body(context)
    }

    /// The match context for interpreted matches (where JIT is unavailable), with the same cap on
    /// the heap the interpreter may use (PCRE2's own default is about 20 GB).
    static let interpreter = InterpreterContext()

    final class InterpreterContext: @unchecked Sendable {
        // Sendable proof: the context is configured in init and never changed afterwards; PCRE2
        // documents that an unchanging context may be used by many threads at once.
        let pointer: OpaquePointer?

        fileprivate init() {
            pointer = pcre2_match_context_create_8(nil)
            if let pointer { pcre2_set_heap_limit_8(pointer, UInt32(PCRE2BacktrackingLimits.maximumBytes >> 10)) }
        }

        deinit { pcre2_match_context_free_8(pointer) }
    }
}
