#if canImport(Glibc)
import Glibc
#endif

/// One open file being followed: its descriptor keeps reading the same file across a rename, and
/// `offset` is where the next read starts.
public final class TailedFile {
    public let path: String
    public let identity: FileIdentity
    private let descriptor: Int32
    public private(set) var offset: Int64

    public init?(path: String, startOffset: Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let info = statDescriptor(fd) else {
            if fd >= 0 { close(fd) }
            return nil
        }
        descriptor = fd
        identity = FileIdentity(info)
        self.path = path
        // A checkpoint past the end means the file was truncated while we were away.
        offset = startOffset <= Int64(info.st_size) ? startOffset : 0
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 { offset = 0 }
    }

    deinit { close(descriptor) }

    /// Up to `buffer.count` bytes from the current offset; empty at end of file.
    public func read(into buffer: inout [UInt8]) -> ArraySlice<UInt8> {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return [] }
            offset += Int64(count)
            return buffer[0..<count]
        }
    }

    public var size: Int64 { statDescriptor(descriptor).map { Int64($0.st_size) } ?? offset }

    /// The file shrank below what was read: it was truncated in place (copytruncate).
    public var wasTruncated: Bool { size < offset }

    public func rewind() {
        if lseek(descriptor, 0, SEEK_SET) == 0 { offset = 0 }
    }

    /// Moves the next read to `position` (clamped to the file); false when the file refused.
    @discardableResult
    public func seek(to position: Int64) -> Bool {
        let target = max(0, position)
        guard lseek(descriptor, off_t(target), SEEK_SET) == off_t(target) else { return false }
        offset = target
        return true
    }

    /// Up to `buffer.count` bytes at `position`, leaving the follow offset where it was; empty at
    /// end of file. For probing (finding where to start), not for following.
    public func read(at position: Int64, into buffer: inout [UInt8]) -> ArraySlice<UInt8> {
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(position)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return [] }
            return buffer[0..<count]
        }
    }

    /// True when the path now names another file (rotated by rename) or nothing.
    public var pathMoved: Bool {
        guard let info = statPath(path) else { return true }
        return FileIdentity(info) != identity
    }
}
