/// Heka's `%ENV[NAME]` substitution, applied to a file's bytes before TOML parsing, plus a
/// default form `%ENV[NAME:-default]` (used when NAME is unset or empty, as in the shell).
///
/// Text taken from the environment is a secret: its spans are recorded so that diagnostics can
/// show `<from %ENV[NAME]>` instead. Defaults are written in the file and are not secret.
/// `%ENV[...]` inside a TOML comment is left alone, so commenting out a line that needs an
/// unset variable does not make the file fail.
struct EnvSubstitution {
    struct Problem {
        var originalOffset: Int
        var message: String
    }

    private(set) var output: [UInt8] = []
    private(set) var spans: [EnvSubstitutionSpan] = []
    private(set) var problems: [Problem] = []
    /// Substituted secret values by variable, for the final redaction pass over diagnostics.
    private(set) var secrets: [String: String] = [:]

    private static let opening = Array("%ENV[".utf8)

    init(expanding input: [UInt8], environment: [String: String]) {
        output.reserveCapacity(input.count)
        var index = 0
        var lexer = CommentTracker()
        while index < input.count {
            guard !lexer.inComment, input[index] == UInt8(ascii: "%"), input[index...].starts(with: Self.opening) else {
                let consumed = lexer.step(input, at: index)
                output.append(contentsOf: input[index..<(index + consumed)])
                index += consumed
                continue
            }
            let contentStart = index + Self.opening.count
            var close = contentStart
            while close < input.count, input[close] != UInt8(ascii: "]"), input[close] != UInt8(ascii: "\n") { close += 1 }
            guard close < input.count, input[close] == UInt8(ascii: "]") else {
                problems.append(Problem(originalOffset: index, message: "%ENV[ is not closed by ']' on the same line"))
                output.append(contentsOf: input[index..<contentStart])
                index = contentStart
                continue
            }
            let content = Array(input[contentStart..<close])
            let (name, defaultValue) = Self.split(content)
            guard Self.isValidName(name) else {
                let shown = String(decoding: name, as: UTF8.self)
                problems.append(Problem(originalOffset: index,
                                        message: "'\(shown)' in %ENV[...] is not a valid environment variable name (letters, digits, '_', '.', '-')"))
                output.append(contentsOf: input[index...close])
                index = close + 1
                continue
            }
            let variable = String(decoding: name, as: UTF8.self)
            let replacement: [UInt8]
            var isSecret = false
            if let value = environment[variable], !value.isEmpty {
                replacement = Array(value.utf8)
                isSecret = true
                secrets[variable] = value
            } else if let defaultValue {
                replacement = defaultValue
            } else if environment[variable] != nil {
                replacement = []
            } else {
                problems.append(Problem(originalOffset: index,
                                        message: "environment variable \(variable) is not set (%ENV[\(variable)]); set it or give a default: %ENV[\(variable):-value]"))
                replacement = []
            }
            spans.append(EnvSubstitutionSpan(outputRange: output.count..<(output.count + replacement.count),
                                             originalRange: index..<(close + 1), variable: variable, isSecret: isSecret))
            output.append(contentsOf: replacement)
            index = close + 1
        }
    }

    /// `NAME` or `NAME:-default`.
    private static func split(_ content: [UInt8]) -> (name: [UInt8], defaultValue: [UInt8]?) {
        for position in content.indices.dropLast()
        where content[position] == UInt8(ascii: ":") && content[position + 1] == UInt8(ascii: "-") {
            return (Array(content[..<position]), Array(content[(position + 2)...]))
        }
        return (content, nil)
    }

    private static func isValidName(_ name: [UInt8]) -> Bool {
        !name.isEmpty && name.allSatisfy { TOMLSyntax.isBareKeyByte($0) || $0 == UInt8(ascii: ".") }
    }
}

/// Just enough TOML lexing to know whether a byte is inside a comment: it follows strings (so
/// a `#` inside quotes is not a comment) and comments.
private struct CommentTracker {
    private enum State { case code, comment, basic, literal, multilineBasic, multilineLiteral }
    private var state = State.code

    var inComment: Bool { state == .comment }

    /// Moves past the token at `index` and returns how many bytes it took (at least 1).
    mutating func step(_ input: [UInt8], at index: Int) -> Int {
        let byte = input[index]
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        let newline = UInt8(ascii: "\n")
        func run(of delimiter: UInt8) -> Int {
            var length = 0
            while index + length < input.count, input[index + length] == delimiter { length += 1 }
            return length
        }
        switch state {
        case .code:
            if byte == UInt8(ascii: "#") { state = .comment }
            if byte == quote {
                if run(of: quote) >= 3 { state = .multilineBasic; return 3 }
                state = .basic
            }
            if byte == apostrophe {
                if run(of: apostrophe) >= 3 { state = .multilineLiteral; return 3 }
                state = .literal
            }
        case .comment:
            if byte == newline { state = .code }
        case .basic:
            if byte == backslash { return min(2, input.count - index) }
            if byte == quote || byte == newline { state = .code }
        case .literal:
            if byte == apostrophe || byte == newline { state = .code }
        case .multilineBasic:
            if byte == backslash { return min(2, input.count - index) }
            if byte == quote, run(of: quote) >= 3 { state = .code; return run(of: quote) }
        case .multilineLiteral:
            if byte == apostrophe, run(of: apostrophe) >= 3 { state = .code; return run(of: apostrophe) }
        }
        return 1
    }
}
