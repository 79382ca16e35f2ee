#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor; the CLI prints many small records and must not issue one
/// system call per record.
final class OutputBuffer {
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private let flushThreshold = 64 * 1024

    init(descriptor: Int32) {
        self.descriptor = descriptor
        pending.reserveCapacity(flushThreshold * 2)
    }

    func write(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
        if pending.count >= flushThreshold { flush() }
    }

    func write(_ text: String) { write(text.utf8) }

    /// Appends with direct access to the buffer, for encoders that append in place.
    func append(_ body: (inout [UInt8]) -> Void) {
        body(&pending)
        if pending.count >= flushThreshold { flush() }
    }

    func flush() {
        var offset = 0
        pending.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // the reader went away (EPIPE): nothing useful left to do with the output
                }
                offset += written
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Diagnostics go to stderr, one line each, unbuffered so they interleave correctly with progress.
enum Diagnostics {
    static func report(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    }
}
