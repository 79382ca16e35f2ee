import Testing
@testable import RunnelCore

@Suite struct InterpolatedTemplateTests {
    static let message = Message(timestamp: 1_416_840_893_000_000_000, type: "DockerLog", severity: 3,
                                 hostname: "node-7",
                                 fields: [.string("MARATHON_APP_ID", "/web/api"), .integer("status", 502),
                                          .double("ratio", 0.5)])

    @Test func headerFieldsAndTime() throws {
        let template = try InterpolatedTemplate("/var/log/%{Hostname}/%{Type}-%{Fields[MARATHON_APP_ID]}-%{%Y.%m.%d}.log")
        #expect(template.renderString(Self.message) == "/var/log/node-7/DockerLog-/web/api-2014.11.24.log")
        #expect(try InterpolatedTemplate("%{status}|%{ratio}|%{Severity}|%{%H:%M:%S %j %a %b %y %%}")
            .renderString(Self.message) == "502|0.5|3|14:54:53 328 Mon Nov 14 %")
    }

    @Test func numericHeaderVariablesAreDigitsAsText() throws {
        let template = try InterpolatedTemplate("%{Timestamp}|%{Severity}|%{Pid}", missing: "none")
        #expect(template.renderString(Self.message) == "1416840893000000000|3|none")
        var negative = Self.message
        negative.timestamp = -1_234_567
        negative.pid = 0
        negative.severity = nil
        #expect(template.renderString(negative) == "-1234567|7|0")
        negative.timestamp = .min
        #expect(template.renderString(negative) == "\(Int64.min)|7|0")
        // A transform sees the same text as the digits written directly.
        var out: [UInt8] = []
        template.render(Self.message, into: &out) { $0 }
        #expect(String(decoding: out, as: UTF8.self) == "1416840893000000000|3|none")
    }

    @Test func missingValuesAndTransforms() throws {
        let template = try InterpolatedTemplate("logs.%{Fields[MARATHON_APP_ID]}.%{Fields[absent]}", missing: "none")
        var out: [UInt8] = []
        template.render(Self.message, into: &out) { value in value.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: ".") : $0 } }
        #expect(String(decoding: out, as: UTF8.self) == "logs..web.api.none")
        #expect(try InterpolatedTemplate("plain").isConstant)
        #expect(try !InterpolatedTemplate("a-%{Type}").isConstant)
    }

    @Test func syntaxErrorsNameTheOffset() {
        #expect(throws: InterpolatedTemplate.SyntaxError.self) { try InterpolatedTemplate("x%{Type") }
        #expect(throws: InterpolatedTemplate.SyntaxError.self) { try InterpolatedTemplate("%{}") }
        #expect(throws: InterpolatedTemplate.SyntaxError.self) { try InterpolatedTemplate("%{%Q}") }
        do {
            _ = try InterpolatedTemplate("abc%{Type")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 3)
        }
    }
}
