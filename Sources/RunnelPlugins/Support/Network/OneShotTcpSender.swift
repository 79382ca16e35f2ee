import NIOCore
import NIOPosix

/// Connects, writes one buffer, and closes after it was handed to the kernel (`runnel inject`).
public enum OneShotTcpSender {
    public static func send(_ bytes: [UInt8], to address: HostAndPort, connectTimeout: Duration = .seconds(10)) async throws {
        var lastError: (any Error)?
        for candidate in try await AddressResolver.resolve(address, family: .any, passive: false) {
            let channel: any Channel
            do {
                channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.nanoseconds(connectTimeout.nanoseconds))
                    .connect(to: candidate).get()
            } catch {
                lastError = error
                continue
            }
            do {
                try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
            } catch {
                try? await channel.close()
                throw error
            }
            try await channel.close()
            return
        }
        throw lastError ?? AddressResolutionError(address: address, reason: "no address")
    }
}
