import ArgumentParser
import Foundation
import RunnelCore
import RunnelPlugins

/// Heka's heka-inject: builds a message from flags and sends it, Heka framed, to a TcpInput.
struct InjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inject",
        abstract: "Send a message built from flags to a TcpInput (Heka's heka-inject).",
        discussion: """
            Each message gets a fresh uuid and the current time. Fields: --field name=value (a string) \
            or --field name:TYPE=value with TYPE string, bytes, int, double or bool; repeat the flag for \
            more fields (a repeated name adds another field of that name). Exits 1 when the message \
            cannot be delivered to the listener.
            """)

    @Option(name: [.customLong("address"), .customLong("heka")], help: "host:port of the TcpInput.")
    var address = "127.0.0.1:5565"

    @Option(help: "Message Type.")
    var type = "inject.message"

    @Option(help: "Message Logger.")
    var logger = "Inject Client"

    @Option(help: "Message Payload.")
    var payload = ""

    @Option(help: "Message Hostname (default: this host's name).")
    var hostname: String?

    @Option(help: "Syslog severity, 0-7.")
    var severity: Int32 = 7

    @Option(help: "Message Pid (default: this process's id).")
    var pid: Int32?

    @Option(name: .customLong("field"), help: "A field: name=value or name:TYPE=value (repeatable).")
    var fields: [String] = []

    @Option(help: "How many messages to send.")
    var count = 1

    func validate() throws {
        guard HostAndPort(parsing: address) != nil else { throw ValidationError("--address '\(address)' is not host:port") }
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        for field in fields {
            do { _ = try FieldArgument(field) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        guard let target = HostAndPort(parsing: address) else { throw ExitStatus.usage }
        var template = Message(timestamp: 0, type: ByteString(type), logger: ByteString(logger), severity: severity,
                               payload: ByteString(payload), pid: pid ?? ProcessInfo.processInfo.processIdentifier,
                               hostname: ByteString(hostname ?? ProcessInfo.processInfo.hostName))
        template.fields = try fields.map { try FieldArgument($0).field }
        var stream: [UInt8] = []
        for _ in 0..<count {
            var message = template
            message.uuid = .random()
            message.timestamp = WallClock.nowNanoseconds()
            HekaFraming.appendFrame(message, to: &stream)
        }
        do {
            try await OneShotTcpSender.send(stream, to: target)
        } catch {
            Diagnostics.report("runnel inject: cannot send to \(target): \(error)")
            throw ExitCode(1)
        }
    }
}
