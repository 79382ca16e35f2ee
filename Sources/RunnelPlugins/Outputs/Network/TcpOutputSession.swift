import Logging
import NIOCore
import NIOPosix
import RunnelCore

/// One run of a TcpOutput: connects, writes batches, confirms them as the peer acknowledges, and
/// reconnects and resends after a loss, until the queue is closed and everything is confirmed (or
/// the task is cancelled).
final class TcpOutputSession {
    private let options: TcpOutput.Options
    private let context: OutputContext
    private let framed: Bool
    private var unconfirmed = UnconfirmedBatches()
    /// Connection losses and failed attempts since the peer last confirmed anything.
    private var failures = 0
    private var random = SystemRandomNumberGenerator()
    private var queueFinished = false
    private var everConnected = false
    private var reportedDown = false

    private enum ConnectionEnd {
        case finished
        case reconnect
        case lost(String)
    }

    init(options: TcpOutput.Options, context: OutputContext, framed: Bool) {
        self.options = options
        self.context = context
        self.framed = framed
    }

    private var metadata: Logger.Metadata { ["plugin": "\(context.name)", "address": "\(options.address)"] }

    func run() async {
        while !Task.isCancelled {
            if failures > 0 {
                let wait = options.reconnect.wait(beforeAttempt: failures, using: &random)
                do { try await Task.sleep(for: wait) } catch { return }
            }
            let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
            do {
                channel = try await connect()
            } catch {
                failures += 1
                if !reportedDown {
                    reportedDown = true
                    context.logger.warning("TcpOutput cannot connect; retrying with backoff",
                                           metadata: metadata.merging(["error": "\(error)"]) { $1 })
                } else {
                    context.logger.debug("TcpOutput connect attempt failed", metadata: metadata.merging(["error": "\(error)", "attempt": "\(failures)"]) { $1 })
                }
                continue
            }
            if reportedDown || !everConnected {
                context.logger.info(everConnected ? "TcpOutput reconnected" : "TcpOutput connected", metadata: metadata)
            }
            everConnected = true
            reportedDown = false
            switch await serve(channel) {
            case .finished:
                return
            case .reconnect:
                continue
            case .lost(let reason):
                failures += 1
                reportedDown = true
                context.logger.warning("TcpOutput connection lost; unconfirmed batches will be sent again after reconnecting",
                                       metadata: metadata.merging(["reason": "\(reason)", "unconfirmed_batches": "\(unconfirmed.count)",
                                                                   "unconfirmed_messages": "\(unconfirmed.messageCount)"]) { $1 })
            }
        }
    }

    // MARK: connecting

    private func connect() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let addresses = try await AddressResolver.resolve(options.address, family: .any, passive: false)
        var local: SocketAddress?
        if let localAddress = options.localAddress {
            local = try await AddressResolver.resolve(localAddress, family: .any, passive: true).first
        }
        var lastError: (any Error)?
        for address in addresses {
            var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(options.connectTimeout.nanoseconds))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            if let local { bootstrap = bootstrap.bind(to: local) }
            let keepAlive = options.keepAlive
            do {
                return try await bootstrap.connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try keepAlive.apply(to: channel)
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            } catch {
                lastError = error
            }
        }
        throw lastError ?? AddressResolutionError(address: options.address, reason: "no address")
    }

    // MARK: one connection

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async -> ConnectionEnd {
        let link = ConnectionLink()
        let peerMode = options.confirmBy == .peer
        do {
            return try await connection.executeThenClose { inbound, outbound in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await Self.read(inbound, into: link, peerMode: peerMode) }
                    defer { group.cancelAll() }
                    return await send(over: connection.channel, outbound, link: link)
                }
            }
        } catch {
            return .lost("\(error)")
        }
    }

    /// Drains what the peer sends: confirmations when asked for, and the end of the connection.
    private static func read(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, into link: ConnectionLink, peerMode: Bool) async {
        var confirmations = PeerConfirmation.Reader()
        do {
            for try await buffer in inbound where peerMode {
                if let offset = buffer.withUnsafeReadableBytes({ confirmations.read($0) }) { link.notePeerConfirmed(offset) }
            }
            link.noteEnded("the peer closed the connection")
        } catch {
            link.noteEnded("\(error)")
        }
    }

    private func send(over channel: any Channel, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                      link: ConnectionLink) async -> ConnectionEnd {
        let peerMode = options.confirmBy == .peer
        let connectedAt = ContinuousClock.now
        var warnedSilentPeer = false
        var sentOnConnection = 0
        var idle = Duration.milliseconds(1)
        do {
            let acknowledgedAtStart = peerMode ? 0 : try await TCPAcknowledgedBytes.read(channel)
            var position: Int64 = 0
            if peerMode {
                try await outbound.write(ByteBuffer(bytes: PeerConfirmation.requestFrame))
                position = Int64(PeerConfirmation.requestFrame.count)
            }
            let resend = unconfirmed.rebase(startingAt: position)
            if !resend.isEmpty {
                context.logger.info("TcpOutput sending unconfirmed batches again",
                                    metadata: metadata.merging(["batches": "\(resend.count)", "messages": "\(unconfirmed.messageCount)"]) { $1 })
            }
            for buffer in resend {
                try await outbound.write(buffer)
                position += Int64(buffer.readableBytes)
            }
            while true {
                if Task.isCancelled { return .finished }
                if let reason = link.endReason { return .lost(reason) }

                let confirmedThrough = peerMode
                    ? link.peerConfirmed
                    : Int64(truncatingIfNeeded: try await TCPAcknowledgedBytes.read(channel) &- acknowledgedAtStart)
                if unconfirmed.confirm(through: confirmedThrough) > 0 {
                    failures = 0
                    idle = .milliseconds(1)
                }
                if peerMode && link.peerConfirmed < 0 && !warnedSilentPeer && ContinuousClock.now - connectedAt > options.peerAnswerTimeout {
                    warnedSilentPeer = true
                    context.logger.warning("TcpOutput peer does not answer confirmation requests; is it a Runnel TcpInput reading Heka frames? Nothing is confirmed until it does",
                                           metadata: metadata)
                }

                let mustDrain = queueFinished || (options.reconnectAfter > 0 && sentOnConnection >= options.reconnectAfter)
                if mustDrain || unconfirmed.byteCount >= options.maxUnconfirmedBytes {
                    if mustDrain && unconfirmed.isEmpty { return queueFinished ? .finished : .reconnect }
                    try await Task.sleep(for: idle)
                    idle = min(idle * 2, .milliseconds(50))
                    continue
                }

                // With nothing to confirm, wait for work; otherwise wait briefly, then poll again.
                let next = unconfirmed.isEmpty ? await context.next() : await context.next(timeout: idle)
                guard let batch = next else {
                    if unconfirmed.isEmpty || context.isFinished { queueFinished = true }
                    idle = min(idle * 2, .milliseconds(50))
                    continue
                }
                idle = .milliseconds(1)
                let (bytes, refused) = encode(batch)
                guard bytes.readableBytes > 0 else {
                    batch.drop(reason: "encode_failed")
                    continue
                }
                // Held before writing, so a write that fails half way is sent again, not lost.
                position += Int64(bytes.readableBytes)
                unconfirmed.append(.init(batch: batch, bytes: bytes, refused: refused, endOffset: position))
                try await outbound.write(bytes)
                sentOnConnection += batch.messages.count
            }
        } catch is CancellationError {
            return .finished
        } catch {
            return .lost(link.endReason ?? "\(error)")
        }
    }

    // MARK: encoding

    /// The batch's bytes and the positions of messages the encoder refused.
    private func encode(_ batch: OutputBatch) -> (ByteBuffer, [Int]) {
        var bytes: [UInt8] = []
        var refused: [Int] = []
        let encoder = context.encoder
        let protobuf = encoder == nil || encoder is ProtobufEncoder
        var scratch: [UInt8] = []
        for (position, message) in batch.messages.enumerated() {
            if protobuf && framed {
                HekaFraming.appendFrame(message, to: &bytes)
                continue
            }
            scratch.removeAll(keepingCapacity: true)
            do {
                if let encoder { try encoder.encode(message, into: &scratch) } else { MessageProtobuf.encode(message, into: &scratch) }
            } catch {
                refused.append(position)
                continue
            }
            if framed { HekaFraming.appendFrame(messageBytes: scratch, signer: nil, to: &bytes) } else { bytes += scratch }
        }
        return (ByteBuffer(bytes: bytes), refused)
    }
}
