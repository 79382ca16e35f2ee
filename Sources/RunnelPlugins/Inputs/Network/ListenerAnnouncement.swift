import NIOCore
import RunnelCore

/// Tells everyone where a network input listens once it is bound: the log, `base_dir/NAME.addr`
/// (so port 0's choice can be found, like the agent's admin.addr) and an optional callback.
enum ListenerAnnouncement {
    static func announce(_ bound: SocketAddress?, configured: HostAndPort, pluginType: String, addressFile: String?,
                         onListening: (@Sendable (SocketAddress) -> Void)?, context: InputContext) {
        let shown = bound.map { PeerAddress($0).ipAndPort.string } ?? configured.description
        context.logger.info("\(pluginType) listening", metadata: ["plugin": "\(context.name)", "address": "\(shown)"])
        if let addressFile {
            do {
                try BoundAddressFile.write(shown, to: addressFile)
            } catch {
                context.logger.warning("cannot write the bound address", metadata: ["path": "\(addressFile)", "error": "\(error)"])
            }
        }
        if let bound { onListening?(bound) }
    }
}
