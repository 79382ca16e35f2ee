import RunnelCore

/// An nginx `log_format` string compiled into the steps that read one line: literal text, runs of
/// whitespace (one or more spaces or tabs in the line), and variables (`$name` or `${name}`), each
/// knowing what ends its value.
struct NginxLogFormat: Sendable {
    enum Step: Sendable, Equatable {
        case literal([UInt8])
        case whitespace
        case variable(Variable)
    }

    /// What ends a variable's value in the line.
    enum ValueEnd: Sendable, Equatable {
        /// The first byte of the literal that follows.
        case byte(UInt8)
        /// A closing `"` (the value was opened by one); `\"` and `\\` inside are escapes.
        case quote
        /// A space or tab (a whitespace run or another variable follows).
        case whitespace
        case lineEnd
    }

    struct Variable: Sendable, Equatable {
        var name: String
        var field: ByteString
        var kind: NginxValueKind
        var end: ValueEnd
    }

    struct CompileError: Error, Sendable {
        var message: String
    }

    let steps: [Step]
    let source: String

    init(_ format: String) throws(CompileError) {
        source = format
        let tokens = try Self.tokenize(Array(format.utf8))
        guard tokens.contains(where: { if case .variable = $0 { true } else { false } }) else {
            throw CompileError(message: "has no $variable, so it describes no field")
        }
        var steps: [Step] = []
        var previousLiteral: [UInt8] = []
        for (index, token) in tokens.enumerated() {
            switch token {
            case .literal(let bytes):
                steps.append(.literal(bytes))
                previousLiteral = bytes
            case .whitespace:
                steps.append(.whitespace)
                previousLiteral = []
            case .variable(let name):
                let end: ValueEnd
                switch index + 1 < tokens.count ? tokens[index + 1] : nil {
                case .literal(let next)?:
                    let quoted = previousLiteral.last == UInt8(ascii: "\"") && next.first == UInt8(ascii: "\"")
                    end = quoted ? .quote : .byte(next[0])
                case .whitespace?, .variable?: end = .whitespace
                case nil: end = .lineEnd
                }
                steps.append(.variable(Variable(name: name, field: ByteString(name), kind: NginxValueKind.of(variable: name), end: end)))
                previousLiteral = []
            }
        }
        self.steps = steps
    }

    var variables: [Variable] {
        steps.compactMap { if case .variable(let variable) = $0 { variable } else { nil } }
    }

    private enum Token {
        case literal([UInt8])
        case whitespace
        case variable(String)
    }

    private static func tokenize(_ format: [UInt8]) throws(CompileError) -> [Token] {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
        }
        var index = 0
        while index < format.count {
            let byte = format[index]
            if byte == 0x20 || byte == 0x09 {
                flush()
                while index < format.count, format[index] == 0x20 || format[index] == 0x09 { index += 1 }
                tokens.append(.whitespace)
                continue
            }
            if byte == UInt8(ascii: "$"), index + 1 < format.count {
                let braced = format[index + 1] == UInt8(ascii: "{")
                let nameStart = index + (braced ? 2 : 1)
                var nameEnd = nameStart
                while nameEnd < format.count, isNameByte(format[nameEnd]) { nameEnd += 1 }
                if nameEnd > nameStart {
                    if braced {
                        guard nameEnd < format.count, format[nameEnd] == UInt8(ascii: "}") else {
                            throw CompileError(message: "'${' at byte \(index) is not closed by '}'")
                        }
                    }
                    flush()
                    tokens.append(.variable(String(decoding: format[nameStart..<nameEnd], as: UTF8.self)))
                    index = nameEnd + (braced ? 1 : 0)
                    continue
                }
            }
            literal.append(byte)
            index += 1
        }
        flush()
        return tokens
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
