#if canImport(Glibc)
import Glibc
#endif

/// The files of one disk queue folder (`base_dir/buffers/<plugin>/`):
/// `NNNNNNNNNN.log` segments numbered from 1 (ten digits, zero-padded, so they sort by name),
/// `cursor` (the confirmed read position, replaced atomically) and `lock` (held with `flock` while
/// the queue is open, so two agents never share a queue).
struct DiskQueueFiles: Sendable {
    let folder: String

    var cursorPath: String { folder + "/cursor" }
    var lockPath: String { folder + "/lock" }

    func segmentPath(_ segment: UInt64) -> String { folder + "/" + Self.segmentFileName(segment) }

    static func segmentFileName(_ segment: UInt64) -> String {
        let digits = String(segment)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits + ".log"
    }

    /// The segment numbers present, ascending. Other files are ignored.
    func segments() throws(DiskQueueError) -> [UInt64] {
        guard let directory = opendir(folder) else { throw .system("list", path: folder) }
        defer { closedir(directory) }
        var found: [UInt64] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".log"), let number = UInt64(name.dropLast(4)), number > 0 else { continue }
            found.append(number)
        }
        return found.sorted()
    }

    /// Takes the folder's lock; fails when another process (or another open queue) holds it.
    func lock() throws(DiskQueueError) -> Int32 {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path: lockPath) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw DiskQueueError("lock", path: lockPath, detail: "the queue is in use by another runnel or another plugin instance")
            }
            throw .system("lock", path: lockPath, code: code)
        }
        return descriptor
    }

    /// The saved cursor, or nil when there is none or it does not parse (then the whole queue is
    /// replayed: duplicates rather than loss).
    func loadCursor() -> DiskPosition? {
        guard let bytes = try? CheckpointStore.readFile(cursorPath) else { return nil }
        let parts = bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A })
        guard parts.count == 2,
              let segment = UInt64(String(decoding: parts[0], as: UTF8.self)),
              let offset = Int64(String(decoding: parts[1], as: UTF8.self)), offset >= 0 else { return nil }
        return DiskPosition(segment: segment, offset: offset)
    }

    /// Writes the cursor as `<segment> <offset>\n`, atomically.
    func saveCursor(_ position: DiskPosition) throws(DiskQueueError) {
        let text = Array("\(position.segment) \(position.offset)\n".utf8)
        do {
            try CheckpointStore.atomicWrite(text, to: cursorPath)
        } catch {
            throw DiskQueueError(error.operation, path: error.path, detail: String(cString: strerror(error.errno)))
        }
    }

    func removeSegment(_ segment: UInt64) throws(DiskQueueError) {
        let path = segmentPath(segment)
        guard unlink(path) == 0 || errno == ENOENT else { throw .system("remove", path: path) }
    }

    /// Makes a file creation or removal in the folder durable.
    func syncFolder() {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// Thin wrappers over the system calls segment files need, retrying EINTR and short transfers.
enum SegmentIO {
    static func openForAppend(_ path: String) throws(DiskQueueError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", path: path) }
        return descriptor
    }

    static func openForReading(_ path: String) throws(DiskQueueError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system("open", path: path) }
        return descriptor
    }

    static func size(_ path: String) throws(DiskQueueError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .system("stat", path: path) }
        return Int64(info.st_size)
    }

    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(DiskQueueError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("write", path: path)
            }
            offset += written
        }
    }

    /// Reads up to `count` bytes at `offset` into `buffer` from `start`; returns how many were read
    /// (fewer only at the end of the file).
    static func read(_ descriptor: Int32, at offset: Int64, count: Int, into buffer: inout [UInt8], start: Int,
                     path: String) throws(DiskQueueError) -> Int {
        var total = 0
        while total < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + start + total, count - total, off_t(offset) + off_t(total))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .system("read", path: path)
            }
            if got == 0 { break }
            total += got
        }
        return total
    }

    static func sync(_ descriptor: Int32, path: String) throws(DiskQueueError) {
        guard fdatasync(descriptor) == 0 else { throw .system("fdatasync", path: path) }
    }

    static func truncate(_ path: String, to size: Int64) throws(DiskQueueError) {
        guard Glibc.truncate(path, off_t(size)) == 0 else { throw .system("truncate", path: path) }
    }
}
