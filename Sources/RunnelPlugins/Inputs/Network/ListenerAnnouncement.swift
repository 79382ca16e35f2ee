import NIOCore
import RunnelCore

/// Tells everyone where a network input listens once it is bound: the log, `base_dir/NAME.addr`
/// (so port 0's choice can be found, like the agent's admin.addr) and an optional callback.
enum ListenerAnnouncement {
    static func announce(_ bound: SocketAddress?, pluginType: String, listener: ListenerOptions, context: InputContext) {
        let shown = bound.map { PeerAddress($0).ipAndPort.string } ?? listener.address.description
        context.logger.info("\(pluginType) listening", metadata: ["plugin": "\(context.name)", "address": "\(shown)"])
        if let addressFile = listener.addressFile {
            do {
                try BoundAddressFile.write(shown, to: addressFile)
            } catch {
                context.logger.warning("cannot write the bound address", metadata: ["path": "\(addressFile)", "error": "\(error)"])
            }
        }
        if let bound { listener.onListening?(bound) }
    }
}
