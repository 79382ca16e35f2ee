import Logging
import NIOCore
import RunnelCore

/// Reads one accepted connection to its end: splits, builds messages, delivers them in batches
/// (one batch per read at most `maxBatchMessages` long), and answers confirmation requests.
struct TcpConnectionReader {
    let options: TcpInput.Options
    let context: InputContext
    let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    func run() async {
        let peer = PeerAddress(connection.channel.remoteAddress)
        context.logger.debug("connection opened", metadata: ["plugin": "\(context.name)", "peer": "\(peer.ipAndPort)"])
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    var state = ConnectionState(
                        stream: NetworkRecordStream(
                            splitter: context.makeSplitter(startOffset: 0),
                            builder: RecordMessages(type: ByteString(context.name), logger: peer.ipAndPort, hostname: peer.ip),
                            decodeFramesWithoutDecoder: options.listener.decodeFramesWithoutDecoder))
                    defer { state.confirmations?.finish() }
                    var ending = "closed by the peer"
                    do {
                        for try await chunk in inbound {
                            let startedConfirming = state.confirmations == nil
                            await read(chunk, into: &state)
                            if startedConfirming, let confirmations = state.confirmations {
                                group.addTask { try await confirmations.send(through: outbound) }
                            }
                        }
                    } catch {
                        ending = "\(error)"  // a reset ends the stream like a close: the tail is counted
                    }
                    await finish(&state)
                    state.confirmations?.finish()
                    try await group.waitForAll()
                    context.logger.debug("connection ended", metadata: ["plugin": "\(context.name)", "peer": "\(peer.ipAndPort)", "how": "\(ending)"])
                }
            }
        } catch {
            context.logger.debug("connection ended", metadata: ["plugin": "\(context.name)", "peer": "\(peer.ipAndPort)", "error": "\(error)"])
        }
    }

    struct ConnectionState {
        var stream: NetworkRecordStream
        var confirmations: ConnectionConfirmations?
        var sawFirstRecord = false
        /// End of the bytes already covered by a delivered batch or a confirmation.
        var coveredThrough: Int64 = 0
        var batch: [Message] = []
    }

    private func read(_ chunk: ByteBuffer, into state: inout ConnectionState) async {
        chunk.withUnsafeReadableBytes { state.stream.append($0) }
        let now = WallClock.nowNanoseconds()
        while let record = state.stream.nextRecord() {
            if !state.sawFirstRecord {
                state.sawFirstRecord = true
                if state.stream.isFramed && PeerConfirmation.isRequest(messageBytes: record.bytes) {
                    let confirmations = ConnectionConfirmations()
                    state.confirmations = confirmations
                    confirmations.commitWithoutBatch(through: record.endOffset)
                    state.coveredThrough = record.endOffset
                    continue
                }
            }
            if let message = state.stream.message(for: record, timestamp: now) { state.batch.append(message) }
            if state.batch.count >= options.maxBatchMessages { await deliver(&state, through: record.endOffset) }
        }
        context.noteDiscarded(state.stream.takeDiscarded())
        await deliver(&state, through: state.stream.lastRecordEnd)
    }

    private func finish(_ state: inout ConnectionState) async {
        if let tail = state.stream.finish(), let message = state.stream.message(for: tail, timestamp: WallClock.nowNanoseconds()) {
            state.batch.append(message)
        }
        context.noteDiscarded(state.stream.takeDiscarded())
        await deliver(&state, through: state.stream.lastRecordEnd)
    }

    /// Delivers the pending batch, which ends at stream offset `end`. For a confirming connection,
    /// bytes that produced no message are confirmed in order with the batches around them.
    private func deliver(_ state: inout ConnectionState, through end: Int64) async {
        defer { state.batch.removeAll(keepingCapacity: true) }
        guard let confirmations = state.confirmations else {
            if !state.batch.isEmpty { await context.deliver(state.batch) }
            return
        }
        guard end > state.coveredThrough else { return }
        state.coveredThrough = end
        guard !state.batch.isEmpty else {
            confirmations.commitWithoutBatch(through: end)
            return
        }
        let ticket = confirmations.begin(through: end)
        await context.deliver(state.batch) { _ in confirmations.settle(ticket) }
    }
}
