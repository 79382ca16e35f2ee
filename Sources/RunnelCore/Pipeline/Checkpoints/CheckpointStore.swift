#if canImport(Glibc)
import Glibc
#endif

/// Durable per-input checkpoints under `base_dir` (DESIGN §6): one small text file per input, one
/// line per stream, replaced atomically (write a temporary file, fsync, rename, fsync the folder),
/// so a crash leaves either the old or the new checkpoints, never a torn file.
///
/// A line is the percent-encoded stream key, then the position's integers, separated by spaces:
/// a file offset and the file's identity for file inputs, a Docker timestamp and a line count for
/// container streams, a partition offset for Kafka.
public struct CheckpointStore: Sendable {
    public struct IOError: Error, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let errno: Int32
        public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
    }

    public let path: String

    public init(directory: String, inputName: String) {
        path = directory + "/" + Self.encode(inputName) + ".checkpoint"
    }

    /// Every stream's position; empty when nothing was saved yet. Unreadable lines are skipped.
    public func load() -> [String: [Int64]] {
        guard let text = try? Self.readFile(path) else { return [:] }
        var positions: [String: [Int64]] = [:]
        for line in text.split(separator: 0x0A) {
            let parts = line.split(separator: 0x20)
            guard let key = parts.first.flatMap({ Self.decode($0) }) else { continue }
            let numbers = parts.dropFirst().compactMap { Int64(String(decoding: $0, as: UTF8.self)) }
            guard numbers.count == parts.count - 1 else { continue }
            positions[key] = numbers
        }
        return positions
    }

    public func save(_ positions: [String: [Int64]]) throws(IOError) {
        var text: [UInt8] = []
        for (key, numbers) in positions.sorted(by: { $0.key < $1.key }) {
            text.append(contentsOf: Self.encode(key).utf8)
            for number in numbers {
                text.append(0x20)
                text.append(contentsOf: String(number).utf8)
            }
            text.append(0x0A)
        }
        try Self.atomicWrite(text, to: path)
    }

    // MARK: file helpers

    static func readFile(_ path: String) throws(IOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw IOError(path: path, operation: "read", errno: errno) }
            if count == 0 { return contents }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `bytes` to `path` so that readers see the old or the new contents, even after a crash.
    public static func atomicWrite(_ bytes: [UInt8], to path: String) throws(IOError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError(path: temporary, operation: "create", errno: errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let error = errno
                close(fd)
                throw IOError(path: temporary, operation: "write", errno: error)
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let error = errno
            close(fd)
            throw IOError(path: temporary, operation: "fsync", errno: error)
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw IOError(path: path, operation: "rename", errno: errno) }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let dirFD = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
    }

    /// Creates a folder and its parents (`mkdir -p`).
    public static func makeDirectory(_ path: String) throws(IOError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw IOError(path: current, operation: "mkdir", errno: errno)
            }
        }
    }

    /// Keys may hold any bytes (paths, container ids); spaces, newlines, '%' and non-ASCII are escaped.
    static func encode(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") && byte != UInt8(ascii: "/") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }

    static func decode<S: Collection>(_ encoded: S) -> String? where S.Element == UInt8 {
        var bytes: [UInt8] = []
        var iterator = encoded.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
