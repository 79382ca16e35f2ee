#if canImport(Glibc)
import Glibc
#endif

/// Reads a file (or standard input) in chunks, optionally following it as it grows like `tail -f`.
final class ByteSource {
    enum OpenError: Error, CustomStringConvertible {
        case cannotOpen(path: String, reason: String)
        case cannotSeek(path: String, offset: Int64)

        var description: String {
            switch self {
            case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
            case .cannotSeek(let path, let offset): "cannot seek \(path) to offset \(offset)"
            }
        }
    }

    let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The absolute offset of the next byte `read` returns.
    private(set) var offset: Int64
    private var chunk: [UInt8]

    /// `path` nil or "-" reads standard input.
    init(path: String?, startOffset: Int64 = 0, chunkSize: Int = 256 * 1024) throws(OpenError) {
        chunk = [UInt8](repeating: 0, count: chunkSize)
        if let path, path != "-" {
            name = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            ownsDescriptor = true
            var info = stat()
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw .cannotOpen(path: path, reason: "is a directory")
            }
            if startOffset > 0, lseek(descriptor, off_t(startOffset), SEEK_SET) < 0 {
                close(descriptor)
                throw .cannotSeek(path: path, offset: startOffset)
            }
        } else {
            name = "<stdin>"
            descriptor = 0
            ownsDescriptor = false
            if startOffset > 0 { try Self.discard(startOffset, from: 0, name: name) }
        }
        offset = startOffset
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The next chunk, or an empty slice at end of input. Read errors other than EINTR end input.
    func read() -> ArraySlice<UInt8> {
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return [] }
            offset += Int64(count)
            return chunk[0..<count]
        }
    }

    /// True when the file is now shorter than what was read (copytruncate, or rewritten).
    func wasTruncated() -> Bool {
        var info = stat()
        guard ownsDescriptor, fstat(descriptor, &info) == 0 else { return false }
        return Int64(info.st_size) < offset
    }

    /// Starts again from the beginning of the file after a truncation.
    func rewind() {
        if lseek(descriptor, 0, SEEK_SET) == 0 { offset = 0 }
    }

    private static func discard(_ count: Int64, from descriptor: Int32, name: String) throws(OpenError) {
        var remaining = count
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while remaining > 0 {
            let wanted = Int(min(remaining, Int64(scratch.count)))
            let got = scratch.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw .cannotSeek(path: name, offset: count) }
            remaining -= Int64(got)
        }
    }
}
