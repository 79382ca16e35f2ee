#if canImport(Glibc)
import Glibc
#endif

/// An error from a system call, with the path and operation it concerns.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let code: Int32

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Writes whole buffers to a file descriptor, retrying short writes and EINTR.
public enum FileDescriptorWriter {
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("write", path: path)
            }
            offset += written
        }
    }
}
