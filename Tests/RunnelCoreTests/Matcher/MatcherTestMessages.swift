import Foundation
import Testing
@testable import RunnelCore

/// Messages the matcher tests run against.
enum MatcherTestMessages {
    static let uuid = MessageUUID(string: "0b9c2a6e-5d1f-4e3a-9c7b-2f8d4e6a1b3c")!

    /// Heka's `getTestMessage()` plus the fields `MatcherSpecificationSpec` adds
    /// (matcher_cases.md, "Test message (Sections A–C)"), in the same order.
    static let heka: Message = {
        var message = Message(
            uuid: uuid, timestamp: 1_416_840_893_000_000_000, type: "TEST", logger: "GoSpec",
            severity: 6, payload: "Test Payload", envVersion: "0.8", pid: 12345, hostname: "test-host")
        let none: ByteString = ""
        message.addField(Field(name: "foo", representation: none, values: .string(["bar"])))
        message.addField(Field(name: "number", representation: none, values: .integer([64])))
        message.addField(Field(name: "bytes", representation: none, values: .bytes([ByteString([0x64, 0x61, 0x74, 0x61])])))
        message.addField(Field(name: "int", representation: none, values: .integer([999, 1024])))
        message.addField(Field(name: "double", representation: none, values: .double([99.9])))
        message.addField(Field(name: "bool", representation: none, values: .bool([true])))
        message.addField(Field(name: "foo", representation: none, values: .string(["alternate"])))
        message.addField(Field(name: "Payload", representation: none, values: .string(["name=test;type=web;"])))
        message.addField(Field(name: "Timestamp", representation: "date-time",
                               values: .string(["Mon Jan 02 15:04:05 -0700 2006"])))
        message.addField(Field(name: "zero", representation: none, values: .integer([0])))
        message.addField(Field(name: "string", representation: none, values: .string(["43"])))
        return message
    }()

    /// The message Heka's Lua sandbox test injects (matcher_cases.md, section D).
    static let sandbox: Message = {
        var message = Message(timestamp: 1_000_000_000)
        message.addField(Field(name: "number", values: .double([1])))
        message.addField(Field(name: "numbers", representation: "count", values: .double([1, 2, 3])))
        message.addField(Field(name: "bools", values: .bool([true, false, false])))
        message.addField(Field(name: "bool", values: .bool([true])))
        message.addField(Field(name: "string", values: .string(["string"])))
        message.addField(Field(name: "strings", values: .string(["s1", "s2", "s3"])))
        return message
    }()

    /// Nothing set: every header reads its default.
    static let unset = Message()

    /// Bytes a container may really print, and numbers at the edges.
    static let awkward: Message = {
        var message = Message(
            uuid: MessageUUID(high: 0, low: 0), timestamp: -5,
            type: ByteString([0x61, 0x62, 0x00, 0x63, 0x64]),                     // "ab\0cd"
            severity: 0,
            payload: ByteString([0x61, 0xFF, 0x00, 0x62, 0xC3, 0xA9]),            // "a\xFF\0bé"
            pid: -1)
        message.addField(.integer("neg", -42))
        message.addField(.integer("max", Int64.max))
        message.addField(.integer("min", Int64.min))
        message.addField(.double("negative", -1.5))
        message.addField(.double("huge", 1e300))
        message.addField(.double("infinity", .infinity))
        message.addField(.double("nan", .nan))
        message.addField(.string("text", ByteString([0x78, 0xFF, 0x79])))       // "x\xFFy"
        message.addField(.bytes("blob", [0x00, 0x01, 0x02]))
        message.addField(.bool("off", false))
        message.addField(.string("my field", "v"))
        message.addField(.string("a[b", "w"))
        message.addField(.string("ünï", "u"))
        message.addField(.string("TRUE", "TRUE"))
        message.addField(Field(name: "empty", values: .string([])))
        return message
    }()

    /// Headers that need escapes to write as literals.
    static func typed(_ type: String) -> Message { Message(type: ByteString(type)) }
}

/// Finds `shared/` (the conformance data) next to the repository: `$RUNNEL_SHARED_DIR`, else the
/// first `shared/heka-conformance` found walking up from the repository root (a worktree may sit
/// one level deeper than the main checkout).
enum MatcherSharedData {
    static func conformanceDirectory() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["RUNNEL_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override).appendingPathComponent("heka-conformance")
        }
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { directory.deleteLastPathComponent() }   // …/Tests/RunnelCoreTests/Matcher/x.swift
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/heka-conformance")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        throw MissingSharedData()
    }

    struct MissingSharedData: Error, CustomStringConvertible {
        var description: String {
            "shared/heka-conformance not found next to the repository; set RUNNEL_SHARED_DIR to the shared directory"
        }
    }
}

/// One expression and what it should do on a message.
struct MatcherCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable { case matches, doesNotMatch, rejected }

    let expression: String
    let outcome: Outcome
    let message: Message

    init(_ expression: String, _ outcome: Outcome, on message: Message = MatcherTestMessages.heka) {
        self.expression = expression
        self.outcome = outcome
        self.message = message
    }

    var testDescription: String { "\(outcome): \(expression.debugDescription)" }
}

extension MatcherCase {
    /// Checks the case, and that the PCRE2-only compilation agrees with the shortcut one.
    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        switch outcome {
        case .rejected:
            #expect(throws: MatcherSyntaxError.self, "\(expression.debugDescription) should not parse",
                    sourceLocation: sourceLocation) { try MessageMatcher(expression) }
        case .matches, .doesNotMatch:
            let expected = outcome == .matches
            do {
                let matcher = try MessageMatcher(expression)
                #expect(matcher.matches(message) == expected, "\(expression.debugDescription)", sourceLocation: sourceLocation)
                let unshortened = try MessageMatcher(expression, usesRegexShortcuts: false)
                #expect(unshortened.matches(message) == expected, "PCRE2 only: \(expression.debugDescription)",
                        sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(expression.debugDescription) should parse: \(error)", sourceLocation: sourceLocation)
            }
        }
    }
}
