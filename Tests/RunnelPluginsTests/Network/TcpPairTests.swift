import RunnelCore
import Synchronization
import Testing
@testable import RunnelPlugins

/// TcpOutput feeding a TcpInput in the same process, over loopback.
@Suite struct TcpPairTests {
    static let framing: SplitterFactory = { HekaFramingSplitter(maxMessageSize: 64 * 1024, startOffset: $0) }

    @Test func outputToInputCarriesMessagesUnchanged() async throws {
        let receiving = InputHarness()
        let input = try await TcpInputTests.start(receiving, splitter: Self.framing)
        defer { Task { await input.stop() } }
        let sending = OutputHarness()
        let output = RunningOutput(TcpOutputTests.output(port: input.port), context: sending.context)
        defer { Task { await output.stop() } }
        let sent = numberedMessages(0..<500)
        for start in stride(from: 0, to: 500, by: 50) { await sending.push(Array(sent[start..<start + 50])) }
        #expect(await receiving.collect(500) == sent)
        #expect(await sending.waitForSettled(500))
    }

    @Test func peerConfirmationsWaitForTheReceivingOutputs() async throws {
        let receiving = InputHarness()
        let input = try await TcpInputTests.start(receiving, splitter: Self.framing)
        defer { Task { await input.stop() } }
        let sending = OutputHarness()
        let output = RunningOutput(TcpOutputTests.output(port: input.port) { $0.confirmBy = .peer }, context: sending.context)
        defer { Task { await output.stop() } }
        await sending.push(numberedMessages(0..<10))
        // The receiving side has the batch in its queue but no output confirmed it yet.
        let deadline = ContinuousClock.now + .seconds(5)
        while receiving.queue.depth.batches == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(sending.settled.isEmpty)
        #expect(payloads(await receiving.collect(10)).count == 10)  // confirms, as an output would
        #expect(await sending.waitForSettled(10))
        #expect(receiving.ledger.snapshot.read == 10)  // the request frame is not a message
    }

    @Test func peerModeConfirmsNothingWhenThePeerNeverAnswers() async throws {
        let server = try await RawTestServer.start()
        let sending = OutputHarness()
        let output = RunningOutput(TcpOutputTests.output(port: server.port) {
            $0.confirmBy = .peer
            $0.peerAnswerTimeout = .milliseconds(100)
        }, context: sending.context)
        defer { Task { await output.stop(); await server.stop() } }
        await sending.push(numberedMessages(0..<5))
        #expect(await server.wait { $0.messages.count == 6 })  // the request, then the batch
        try await Task.sleep(for: .milliseconds(300))
        #expect(sending.settled.isEmpty)
    }

    /// The must-show: the receiving side dies mid-stream (its queued messages die with it) and
    /// comes back on the same port; every message still arrives at least once.
    @Test func receiverKilledMidStreamAndRestartedLosesNothing() async throws {
        let total = 20_000
        let sent = numberedMessages(0..<total)
        let sending = OutputHarness()

        let first = InputHarness()
        let firstInput = try await TcpInputTests.startOnStablePort(first, splitter: Self.framing)
        let port = firstInput.port
        let output = RunningOutput(TcpOutputTests.output(port: port) { $0.confirmBy = .peer }, context: sending.context)
        defer { Task { await output.stop() } }
        let producer = Task {
            for start in stride(from: 0, to: total, by: 100) { await sending.push(Array(sent[start..<start + 100])) }
        }

        let beforeKill = await first.collect(total / 3)
        // Stop confirming for a moment, so the receiving side holds messages it never confirms;
        // then kill it: what sat in its queue is lost, as in a kill -9.
        try await Task.sleep(for: .milliseconds(50))
        let lostInQueue = first.queue.depth.batches
        #expect(lostInQueue > 0, "the scenario needs unconfirmed messages on the receiving side")
        try #require(try await within(.seconds(30), "stopping the first receiver") { await firstInput.stop() } != nil)
        let confirmedAtKill = sending.deliveredMessages
        #expect(confirmedAtKill <= beforeKill.count)

        let second = InputHarness()
        let secondInput = try #require(try await within(.seconds(30), "starting the second receiver on the same port") {
            try await TcpInputTests.start(second, splitter: Self.framing, port: port)
        })
        defer { Task { await secondInput.stop() } }
        try #require(try await within(.seconds(60), "queueing every batch") { await producer.value } != nil)
        let seen = Mutex(Set(beforeKill.compactMap(\.pid)))
        let deadline = ContinuousClock.now + .seconds(60)
        var afterRestart: [Message] = []
        while seen.withLock({ $0.count }) < total && ContinuousClock.now < deadline {
            afterRestart = await second.collect(afterRestart.count + 1, timeout: .milliseconds(200))
            seen.withLock { $0.formUnion(afterRestart.compactMap(\.pid)) }
        }
        #expect(seen.withLock { $0.count } == total)
        #expect(await sending.waitForSettled(total))
        let duplicates = beforeKill.count + afterRestart.count - total
        // Only what the first receiver took but had not confirmed when it died comes twice.
        #expect(duplicates >= 0)
        #expect(duplicates <= beforeKill.count - confirmedAtKill + 1000)
    }
}
