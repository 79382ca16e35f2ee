#if canImport(Glibc)
import Glibc
#endif

/// SwiftNIO opens its sockets without `SOCK_CLOEXEC`, so a child spawned while a test's listener
/// is open inherits it; a long-lived child (a daemon) then keeps the port listening after the
/// test closed it, and the next test on that port cannot bind. Children spawned by tests close
/// every descriptor above stderr first.
public enum InheritedDescriptors {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34+ has `posix_spawn_file_actions_addclosefrom_np`; Swift's Glibc module does not
    /// declare it, so it is looked up at run time (once; the pointer is immutable afterwards).
    nonisolated(unsafe) private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Adds "close every descriptor from 3 up" to `actions` (after any dup2 onto 0, 1, 2).
    /// Returns false when the C library cannot do it.
    @discardableResult
    public static func closeAbove2(_ actions: inout posix_spawn_file_actions_t) -> Bool {
        guard let addCloseFrom else { return false }
        return addCloseFrom(&actions, 3) == 0
    }
}
