#if canImport(Glibc)
import Glibc
#endif

/// The real-time clock in nanoseconds since the epoch, without Foundation.
public enum WallClock {
    public static func nowNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
