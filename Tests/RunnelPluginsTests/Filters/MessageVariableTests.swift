import RunnelCore
import Testing
@testable import RunnelPlugins

@Suite("MessageVariable: matcher-style names for group_by, fields and distinct")
struct MessageVariableTests {
    @Test(arguments: [
        ("Type", MessageVariable.type), ("Logger", .logger), ("Hostname", .hostname), ("Payload", .payload),
        ("EnvVersion", .envVersion), ("Severity", .severity), ("Pid", .pid), ("Uuid", .uuid), ("Timestamp", .timestamp),
        ("Fields[MARATHON_APP_ID]", .field(name: "MARATHON_APP_ID", fieldIndex: 0, arrayIndex: 0)),
        ("Fields[x][2]", .field(name: "x", fieldIndex: 2, arrayIndex: 0)),
        ("Fields[x][1][3]", .field(name: "x", fieldIndex: 1, arrayIndex: 3)),
        ("ContainerID", .field(name: "ContainerID", fieldIndex: 0, arrayIndex: 0)),
        ("cpu.percent", .field(name: "cpu.percent", fieldIndex: 0, arrayIndex: 0)),
    ])
    func parses(text: String, expected: MessageVariable) throws {
        #expect(try MessageVariable(parsing: text) == expected)
    }

    @Test(arguments: ["", "Fields[]", "Fields[x", "Fields[x][", "Fields[x][a]", "Fields[x][-1]", "Fields[x][0][0][0]",
                      "Fields[x]junk", "name[0]"])
    func rejects(text: String) {
        #expect(throws: MessageVariable.SyntaxError.self) { try MessageVariable(parsing: text) }
    }

    @Test func outputNames() throws {
        #expect(try MessageVariable(parsing: "Fields[MARATHON_APP_ID]").outputName == "MARATHON_APP_ID")
        #expect(try MessageVariable(parsing: "Fields[a][1][1]").outputName == "a")
        #expect(try MessageVariable(parsing: "Type").outputName == "Type")
        #expect(try MessageVariable(parsing: "EnvVersion").outputName == "EnvVersion")
    }

    @Test func textOfHeadersAndFields() {
        let uuid = MessageUUID.random()
        let message = Message(uuid: uuid, timestamp: 42, type: "T", logger: "L", severity: 3, payload: "P",
                              envVersion: "1", pid: 9, hostname: "H",
                              fields: [.string("s", "v"), .integer("i", -5), .double("d", 1.5), .bool("b", true),
                                       .bytes("raw", [0, 255])])
        let cases: [(MessageVariable, ByteString?)] = [
            (.type, "T"), (.logger, "L"), (.hostname, "H"), (.payload, "P"), (.envVersion, "1"), (.severity, "3"),
            (.pid, "9"), (.timestamp, "42"), (.uuid, ByteString(uuid.string)),
            (.field(name: "s", fieldIndex: 0, arrayIndex: 0), "v"), (.field(name: "i", fieldIndex: 0, arrayIndex: 0), "-5"),
            (.field(name: "d", fieldIndex: 0, arrayIndex: 0), "1.5"), (.field(name: "b", fieldIndex: 0, arrayIndex: 0), "true"),
            (.field(name: "raw", fieldIndex: 0, arrayIndex: 0), ByteString([0, 255])),
            (.field(name: "s", fieldIndex: 1, arrayIndex: 0), nil), (.field(name: "s", fieldIndex: 0, arrayIndex: 1), nil),
            (.field(name: "absent", fieldIndex: 0, arrayIndex: 0), nil),
        ]
        for (variable, expected) in cases {
            #expect(variable.text(of: message) == expected, "\(variable)")
        }
        #expect(MessageVariable.type.text(of: Message()) == nil)
        #expect(MessageVariable.severity.text(of: Message()) == "7")
    }

    @Test func numbers() {
        let message = Message(timestamp: 42, severity: 3, pid: 9,
                              fields: [.integer("i", -5), .double("d", 1.5), .string("s", "12"), .double("nan", .nan)])
        #expect(MessageVariable.field(name: "i", fieldIndex: 0, arrayIndex: 0).number(of: message) == -5)
        #expect(MessageVariable.field(name: "d", fieldIndex: 0, arrayIndex: 0).number(of: message) == 1.5)
        #expect(MessageVariable.field(name: "s", fieldIndex: 0, arrayIndex: 0).number(of: message) == nil)
        #expect(MessageVariable.field(name: "nan", fieldIndex: 0, arrayIndex: 0).number(of: message) == nil)
        #expect(MessageVariable.severity.number(of: message) == 3)
        #expect(MessageVariable.pid.number(of: message) == 9)
        #expect(MessageVariable.pid.number(of: Message()) == nil)
        #expect(MessageVariable.timestamp.number(of: message) == 42)
        #expect(MessageVariable.type.number(of: message) == nil)
        #expect(!MessageVariable.hostname.isNumeric)
        #expect(MessageVariable.severity.isNumeric)
    }
}
