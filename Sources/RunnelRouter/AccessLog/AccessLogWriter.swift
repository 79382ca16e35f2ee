import Foundation
import RunnelCore

/// Where the access log goes. Called only from the sink's writer thread, so blocking is fine.
protocol AccessLogWriter: Sendable {
    func write(_ records: [AccessRecord]) throws
    func close()
}

/// One JSON record per line, appended to a file.
final class FileAccessLogWriter: AccessLogWriter {
    private let path: String
    /// Only the sink's single writer thread touches this handle.
    nonisolated(unsafe) private var handle: FileHandle?

    init(path: String) { self.path = path }

    func write(_ records: [AccessRecord]) throws {
        if handle == nil {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let opened = FileHandle(forWritingAtPath: path) else { throw AccessLogError("cannot open \(path)") }
            opened.seekToEndOfFile()
            handle = opened
        }
        var writer = JSONWriter(reservingCapacity: 512 * records.count)
        for record in records {
            AccessRecordJSON.encode(record, into: &writer)
            writer.lineBreak()
        }
        try handle?.write(contentsOf: writer.bytes)
    }

    func close() { try? handle?.close() }
}

/// Heka-framed protobuf messages (payload = the JSON record) to a Runnel agent's TcpInput.
final class HekaTCPAccessLogWriter: AccessLogWriter {
    private let address: BindAddress
    private let hostname: String
    /// Only the sink's single writer thread touches this socket.
    nonisolated(unsafe) private var socket: BlockingTCPSocket?

    init(address: BindAddress, hostname: String) {
        self.address = address
        self.hostname = hostname
    }

    func write(_ records: [AccessRecord]) throws {
        var frames: [UInt8] = []
        frames.reserveCapacity(700 * records.count)
        var json = JSONWriter(reservingCapacity: 512)
        for record in records {
            json.reset()
            AccessRecordJSON.encode(record, into: &json)
            let message = Message(
                uuid: .random(), timestamp: record.timestampNanoseconds, type: "runnel.router.access",
                logger: "runnel-router", severity: 6, payload: ByteString(json.bytes),
                hostname: ByteString(hostname))
            HekaFraming.appendFrame(message, to: &frames)
        }
        if socket == nil { socket = try BlockingTCPSocket(host: address.host, port: address.port) }
        do {
            try socket?.send(frames)
        } catch {
            socket?.close()
            socket = nil
            throw error
        }
    }

    func close() { socket?.close() }
}

struct AccessLogError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
