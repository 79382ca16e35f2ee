import ArgumentParser
import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

struct TapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap",
        abstract: "Stream a sample of the live messages of a running agent.",
        discussion: """
            Connects to the agent's admin endpoint and prints the messages its router sees as they \
            pass (those --matcher selects, and with --plugin only those routed to that plugin). \
            Sampling never slows the agent: when this reader falls behind, older messages are skipped.
            """)

    @Option(help: "The agent's admin address (its [runnel] admin_address; see base_dir/admin.addr).")
    var admin: String = "127.0.0.1:4352"

    @Option(help: "Only messages this message_matcher expression selects.")
    var matcher: String = "TRUE"

    @Option(help: "Only messages routed to this filter or output.")
    var plugin: String?

    @Option(help: "Output format: txt or json.")
    var format: OutputFormat = .txt

    @Option(name: [.customShort("n"), .customLong("count")], help: "Stop after this many messages.")
    var count: Int?

    func validate() throws {
        if format == .heka || format == .count { throw ValidationError("--format must be txt or json") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if case .failure(let error) = Result(catching: { try MessageMatcher(matcher) }) {
            throw ValidationError("--matcher: \(error)")
        }
    }

    func run() throws {
        var query = "matcher=" + Self.percentEncode(matcher)
        if let plugin { query += "&plugin=" + Self.percentEncode(plugin) }
        let printer = MessagePrinter(format: format)
        var seen = 0
        let status = try ChunkedHTTPStream.get(address: admin, path: "/tap?" + query) { line in
            guard !line.isEmpty else { return true }  // heartbeat
            do {
                printer.print(try MessageJSON.decode(line), protobuf: nil)
                printer.flush()
            } catch {
                Diagnostics.report("runnel tap: unreadable message from the agent: \(error)")
            }
            seen += 1
            return count.map { seen < $0 } ?? true
        }
        guard status == 200 else { throw ExitStatus.usage }
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A blocking HTTP/1.1 GET whose chunked body is handed over line by line (for `runnel tap`).
enum ChunkedHTTPStream {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Calls `onLine` for every line of the body until it returns false or the server ends the
    /// response; returns the HTTP status.
    static func get(address: String, path: String, onLine: ([UInt8]) -> Bool) throws -> Int {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw Failure(description: "--admin must be host:port, got '\(address)'")
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let host = String(address[..<colon]).trimmingCharacters(in: ["[", "]"])
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let info = found else {
            throw Failure(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard fd >= 0, connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw Failure(description: "cannot connect to the agent at \(address): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }

        var reader = SocketLineReader(descriptor: fd)
        guard let statusLine = reader.line(), statusLine.count >= 12,
              let status = Int(String(decoding: statusLine[9..<12], as: UTF8.self)) else {
            throw Failure(description: "no HTTP response from \(address)")
        }
        var chunked = false
        while let header = reader.line(), !header.isEmpty {
            let text = String(decoding: header, as: UTF8.self).lowercased()
            if text.hasPrefix("transfer-encoding:") && text.contains("chunked") { chunked = true }
        }
        guard status == 200 else {
            var body: [UInt8] = []
            while let line = reader.line() { body += line + [0x0A] }
            Diagnostics.report("runnel tap: the agent answered \(status): \(String(decoding: body, as: UTF8.self))")
            return status
        }
        var pending: [UInt8] = []
        while true {
            let data: [UInt8]
            if chunked {
                guard let sizeLine = reader.line(), let size = Int(String(decoding: sizeLine, as: UTF8.self)
                    .split(separator: ";").first ?? "", radix: 16), size > 0, let chunk = reader.bytes(size) else { break }
                _ = reader.line()
                data = chunk
            } else {
                guard let line = reader.line() else { break }
                data = line + [0x0A]
            }
            pending += data
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if !onLine(line) { return status }
            }
        }
        return status
    }
}

/// Buffered reads of lines and byte runs from a socket.
struct SocketLineReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    /// The next line without its CRLF (or LF); nil at the end of the stream.
    mutating func line() -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            guard fill() else { return nil }
        }
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else { return nil }
        }
        let run = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return run
    }
}
