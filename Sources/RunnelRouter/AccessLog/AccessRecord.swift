#if canImport(Glibc)
import Glibc
#endif

/// One proxied request as the access log records it. Built on the event loop from values the
/// request already has; encoded later on the log writer's thread.
struct AccessRecord: Sendable {
    var timestampNanoseconds: Int64
    var remoteAddr: String
    var httpHost: String
    var method: String
    var uri: String
    var status: Int
    var bodyBytesSent: Int
    var requestLength: Int
    var requestTime: Double
    /// One entry per attempt, as nginx joins them with ", ".
    var upstreamAddrs: [String]
    var upstreamStatuses: [Int]
    var upstreamResponseTimes: [Double]
    var upstreamName: String
    var requestID: String
    var userAgent: String
    var referer: String
    var forwardedFor: String
}

extension AccessRecord {
    /// The wall clock for the record's timestamp (nanoseconds since 1970).
    static func wallNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
