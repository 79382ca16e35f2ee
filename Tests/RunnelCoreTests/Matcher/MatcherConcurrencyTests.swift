import Foundation
import Testing
@testable import RunnelCore

/// One compiled matcher evaluated from many threads at once gives the same answers.
@Suite struct MatcherConcurrencyTests {
    static func workload() throws -> [(MessageMatcher, Message, Bool)] {
        let heka = MatcherTestMessages.heka
        let other = Message(type: "other", severity: 3, payload: "web-17.api said hello")
        let expressions: [(String, Bool, Bool)] = [
            ("Payload =~ /web-[0-9]+\\.api/", false, true),
            ("Type =~ /^T[A-Z]+$/ && Severity < 7", true, false),
            ("Fields[foo][1] =~ /a.t/ || Payload =~ /said (hi|hello)$/", true, true),
            ("Fields[int][0][1] == 1024 && Type != 'other'", true, false),
            ("Payload !~ /Pay/", false, true),
        ]
        return try expressions.flatMap { expression, onHeka, onOther in
            let matcher = try MessageMatcher(expression)
            return [(matcher, heka, onHeka), (matcher, other, onOther)]
        }
    }

    static func wrongAnswers(_ work: [(MessageMatcher, Message, Bool)], offset: Int) -> Int {
        var wrong = 0
        for round in 0..<4_000 {
            let (matcher, message, expected) = work[(round + offset) % work.count]
            if matcher.matches(message) != expected { wrong += 1 }
        }
        return wrong
    }

    @Test func tasksShareOneMatcher() async throws {
        let work = try Self.workload()
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 { group.addTask { Self.wrongAnswers(work, offset: task) } }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test func threadsShareOneMatcher() throws {
        let work = try Self.workload()
        let counts = WrongCounts()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            counts.add(Self.wrongAnswers(work, offset: thread))
        }
        #expect(counts.total == 0)
    }
}

/// A lock-protected total for the Dispatch threads.
private final class WrongCounts: @unchecked Sendable {
    // Sendable proof: `value` is only read and written while holding `lock`.
    private let lock = NSLock()
    private var value = 0
    func add(_ count: Int) { lock.withLock { value += count } }
    var total: Int { lock.withLock { value } }
}
