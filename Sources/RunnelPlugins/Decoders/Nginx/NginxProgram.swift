import RunnelCore

/// A compiled `NginxLogFormat` laid out for the line parser's loop: plain-value instructions (no
/// reference counting when read), literal bytes in one array, and field names and representations
/// in tables the instructions index.
struct NginxProgram: Sendable {
    enum Operation: UInt8, Sendable { case literal, whitespace, variable }

    /// `NginxValueKind` without its payload.
    enum Kind: UInt8, Sendable {
        case string, host, integer, double, timeLocal, timeISO8601, msec, request, stringList, integerList, doubleList

        var isList: Bool { self == .stringList || self == .integerList || self == .doubleList }
    }

    enum End: UInt8, Sendable { case byte, quote, whitespace, lineEnd }

    struct Instruction: Sendable {
        var operation: Operation
        var kind: Kind = .string
        var end: End = .lineEnd
        /// With `End.byte`: the byte that ends the value.
        var endByte: UInt8 = 0
        /// Literal: its bytes in `literals`. Variable: its index in `names` (lower bound).
        var start: Int32 = 0
        var count: Int32 = 0
    }

    let instructions: [Instruction]
    let literals: [UInt8]
    /// Per variable: the field name, its representation, and `$name` for messages.
    let names: [ByteString]
    let representations: [ByteString?]
    let variableNames: [String]

    init(_ format: NginxLogFormat) {
        var instructions: [Instruction] = []
        var literals: [UInt8] = []
        var names: [ByteString] = []
        var representations: [ByteString?] = []
        var variableNames: [String] = []
        for step in format.steps {
            switch step {
            case .literal(let bytes):
                instructions.append(Instruction(operation: .literal, start: Int32(literals.count), count: Int32(bytes.count)))
                literals += bytes
            case .whitespace:
                instructions.append(Instruction(operation: .whitespace))
            case .variable(let variable):
                var instruction = Instruction(operation: .variable, start: Int32(names.count))
                (instruction.kind, instruction.end, instruction.endByte) = (Self.kind(variable.kind), .lineEnd, 0)
                switch variable.end {
                case .byte(let byte): (instruction.end, instruction.endByte) = (.byte, byte)
                case .quote: instruction.end = .quote
                case .whitespace: instruction.end = .whitespace
                case .lineEnd: instruction.end = .lineEnd
                }
                instructions.append(instruction)
                names.append(variable.field)
                representations.append(Self.representation(variable.kind))
                variableNames.append(variable.name)
            }
        }
        self.instructions = instructions
        self.literals = literals
        self.names = names
        self.representations = representations
        self.variableNames = variableNames
    }

    private static func kind(_ kind: NginxValueKind) -> Kind {
        switch kind {
        case .string: .string
        case .host: .host
        case .integer: .integer
        case .double: .double
        case .timeLocal: .timeLocal
        case .timeISO8601: .timeISO8601
        case .msec: .msec
        case .request: .request
        case .stringList: .stringList
        case .integerList: .integerList
        case .doubleList: .doubleList
        }
    }

    private static func representation(_ kind: NginxValueKind) -> ByteString? {
        switch kind {
        case .integer(let representation), .double(let representation), .integerList(let representation),
             .doubleList(let representation):
            representation
        default:
            nil
        }
    }
}
