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
