import NIOCore
import NIOPosix

/// One active health check: connect, send `GET path` with `Connection: close`, read the status
/// line, all within a timeout. Returns the status or a reason it failed.
enum HealthProbe {
    static func check(_ server: UpstreamServer, path: String, host: String, timeout: TimeAmount,
                      group: any EventLoopGroup) async -> Result<Int, ProbeFailure> {
        let loop = group.next()
        let promise = loop.makePromise(of: Int.self)
        let deadline = loop.scheduleTask(in: timeout) { promise.fail(ProbeFailure(reason: "timed out")) }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StatusLineReader(promise: promise))
                }
            }
        let connecting = server.socketAddress.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: server.spec.host, port: server.spec.port)
        connecting.whenComplete { result in
            switch result {
            case .success(let channel):
                var request = ByteBuffer()
                request.writeString("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: runnel-router-health\r\nConnection: close\r\n\r\n")
                channel.writeAndFlush(request, promise: nil)
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            case .failure(let error):
                promise.fail(ProbeFailure(reason: "connect failed: \(error)"))
            }
        }
        do {
            let status = try await promise.futureResult.get()
            deadline.cancel()
            return .success(status)
        } catch let failure as ProbeFailure {
            return .failure(failure)
        } catch {
            return .failure(ProbeFailure(reason: "\(error)"))
        }
    }
}

struct ProbeFailure: Error, Sendable {
    var reason: String
}

/// Reads bytes until the end of the status line and completes the promise with the code.
private final class StatusLineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<Int>
    private var line: [UInt8] = []

    init(promise: EventLoopPromise<Int>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        line += bytes
        guard let end = line.firstIndex(of: UInt8(ascii: "\n")) ?? (line.count > 1024 ? line.count - 1 : nil) else { return }
        let text = String(decoding: line[..<end], as: UTF8.self)
        let parts = text.split(separator: " ")
        if parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...599).contains(code) {
            promise.succeed(code)
        } else {
            promise.fail(ProbeFailure(reason: "malformed status line"))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ProbeFailure(reason: "connection closed before a status line"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(ProbeFailure(reason: "\(error)"))
        context.close(promise: nil)
    }
}
