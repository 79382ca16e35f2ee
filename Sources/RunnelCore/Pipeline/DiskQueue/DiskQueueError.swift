#if canImport(Glibc)
import Glibc
#endif

/// A disk queue operation that failed, with the file it concerns.
public struct DiskQueueError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let detail: String

    public init(_ operation: String, path: String, detail: String) {
        self.operation = operation
        self.path = path
        self.detail = detail
    }

    /// From the `errno` a system call just set.
    static func system(_ operation: String, path: String, code: Int32 = errno) -> DiskQueueError {
        DiskQueueError(operation, path: path, detail: String(cString: strerror(code)))
    }

    public var description: String { "disk queue: \(operation) \(path): \(detail)" }
}
