/// The compiled, evaluable form of an expression: all text resolved to variable cases, byte
/// literals, compiled regexes and parsed numbers, constants folded away, `&&`/`||` chains flattened.
indirect enum MatcherProgram: Sendable {
    case constant(Bool)
    case test(MatcherTest)
    /// True when every part is; stops at the first false one.
    case all([MatcherProgram])
    /// True when any part is; stops at the first true one.
    case any([MatcherProgram])
}

/// One comparison, with its variable resolved.
enum MatcherTest: Sendable {
    case text(TextHeader, BytePredicate)
    /// `Uuid ==`/`!=` a canonical (lower-case, hyphenated) uuid string, compared as 16 bytes.
    /// `expected` nil stands for the empty string, which an unset uuid reads as.
    case uuidEquals(expected: MessageUUID?, negated: Bool)
    case number(NumericHeader, NumericPredicate)
    case field(FieldSelector, FieldPredicate)
}

/// String header variables; unset reads as the empty string.
enum TextHeader: Sendable {
    case uuid, type, logger, payload, envVersion, hostname
}

/// Numeric header variables; unset `Severity` reads 7, unset `Pid` reads 0.
enum NumericHeader: Sendable {
    case timestamp, severity, pid
}

/// Which field value a test reads: the `fieldIndex`-th field called `name`, value `arrayIndex`.
struct FieldSelector: Sendable {
    var name: [UInt8]
    var fieldIndex: Int
    var arrayIndex: Int
}

/// What is tested on a field value. A test meets a value of a type it does not apply to (a string
/// literal and an integer field, say) and is false, whatever the operator; a missing value is
/// false for everything but `== NIL`.
enum FieldPredicate: Sendable {
    /// String and bytes fields.
    case bytes(BytePredicate)
    /// Integer and double fields.
    case number(NumericPredicate)
    /// Bool fields: `== TRUE` is `.bool(true, negated: false)`.
    case bool(Bool, negated: Bool)
    /// `!= NIL` is `.present(true)`, `== NIL` is `.present(false)`.
    case present(Bool)
}
