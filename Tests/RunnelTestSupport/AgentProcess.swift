import Foundation

#if canImport(Glibc)
import Glibc
import RunnelCore
#endif

/// A `runnel agent` running as a real child process, with its output in files, its admin endpoint
/// found through `base_dir/admin.addr`, and signals sent by pid.
public final class AgentProcess {
    public let process: Process
    public let stdoutPath: String
    public let stderrPath: String
    public let baseDir: String

    /// Starts `runnel agent -c config`. `stdout` nil writes the agent's standard output to a file.
    public init(config: String, baseDir: String, logFolder: String, stdout: FileHandle? = nil,
                environment: [String: String] = [:]) throws {
        self.baseDir = baseDir
        stdoutPath = logFolder + "/agent-\(UUID().uuidString.prefix(8)).stdout"
        stderrPath = logFolder + "/agent-\(UUID().uuidString.prefix(8)).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        try? FileManager.default.removeItem(atPath: baseDir + "/admin.addr")
        process = Process()
        process.executableURL = RunnelProcess.executable
        process.arguments = ["agent", "-c", config]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try stdout ?? FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Sends a signal. Wait for `adminAddress()` first when the agent must handle it (its signal
    /// handlers are installed before the admin endpoint starts).
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit; its status, or nil on timeout.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The admin endpoint's address once the agent wrote it.
    public func adminAddress(timeout: Duration = .seconds(60)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: baseDir + "/admin.addr", encoding: .utf8) {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if !process.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// GET a path of the admin endpoint; the body, or nil when unreachable.
    public func admin(_ path: String) async -> String? {
        guard let address = await adminAddress() else { return nil }
        return await HTTPGet.fetch(address: address, path: path)
    }

    /// `/status` decoded.
    public func status() async -> [String: Any]? {
        guard let body = await admin("/status"), let data = body.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// One plugin's entry in `/status`.
    public func pluginStatus(_ name: String) async -> [String: Any]? {
        guard let plugins = await status()?["plugins"] as? [[String: Any]] else { return nil }
        return plugins.first { $0["name"] as? String == name }
    }
}

/// A minimal blocking HTTP/1.1 GET over a loopback socket, run on a thread of its own so it never
/// blocks the tests' cooperative threads.
public enum HTTPGet {
    public static func fetch(address: String, path: String) async -> String? {
        await onOwnThread { blockingFetch(address: address, path: path) }
    }

    static func blockingFetch(address: String, path: String) -> String? {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sockaddress = sockaddr_in()
        sockaddress.sin_family = sa_family_t(AF_INET)
        sockaddress.sin_port = port.bigEndian
        sockaddress.sin_addr.s_addr = inet_addr(String(address[..<colon]))
        let connected = withUnsafePointer(to: &sockaddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}
