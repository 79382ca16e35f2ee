import RunnelCore

/// How the value of an nginx log variable is typed. Variables nginx writes as numbers become
/// integer or double fields (Heka's Lua decoder made every number a double), the time variables
/// set the Timestamp, and everything else is a string field named after the variable.
enum NginxValueKind: Sendable, Equatable {
    case string
    /// An address or host name; the field's representation says which (`ipv4`, `ipv6`, `hostname`).
    case host
    case integer(representation: ByteString?)
    case double(representation: ByteString?)
    /// `$time_local`: `10/Oct/2000:13:55:36 -0700`.
    case timeLocal
    /// `$time_iso8601`: `2000-10-10T13:55:36-07:00`.
    case timeISO8601
    /// `$msec`: Unix time in seconds with milliseconds, `1700000000.123`.
    case msec
    /// `$request`: the field `request`, and its method, URI and protocol when it has that shape.
    case request
    /// Upstream lists (`10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80`): one value per upstream tried.
    case stringList
    case integerList(representation: ByteString?)
    case doubleList(representation: ByteString?)

    var setsTimestamp: Bool { self == .timeLocal || self == .timeISO8601 || self == .msec }

    static func of(variable name: String) -> NginxValueKind {
        if let kind = known[name] { return kind }
        return .string
    }

    private static let bytes: ByteString = "B"
    private static let seconds: ByteString = "s"

    private static let known: [String: NginxValueKind] = [
        "body_bytes_sent": .integer(representation: bytes), "bytes_sent": .integer(representation: bytes),
        "request_length": .integer(representation: bytes), "content_length": .integer(representation: bytes),
        "status": .integer(representation: nil), "connection": .integer(representation: nil),
        "connection_requests": .integer(representation: nil), "pid": .integer(representation: nil),
        "remote_port": .integer(representation: nil), "server_port": .integer(representation: nil),
        "tcpinfo_rtt": .integer(representation: "us"), "tcpinfo_rttvar": .integer(representation: "us"),
        "tcpinfo_snd_cwnd": .integer(representation: nil), "tcpinfo_rcv_space": .integer(representation: nil),
        "request_time": .double(representation: seconds),
        "time_local": .timeLocal, "time_iso8601": .timeISO8601, "msec": .msec,
        "remote_addr": .host, "realip_remote_addr": .host, "server_addr": .host, "proxy_protocol_addr": .host,
        "host": .host, "hostname": .host, "server_name": .host,
        "request": .request,
        "upstream_addr": .stringList,
        "upstream_status": .integerList(representation: nil),
        "upstream_response_length": .integerList(representation: bytes),
        "upstream_bytes_received": .integerList(representation: bytes),
        "upstream_bytes_sent": .integerList(representation: bytes),
        "upstream_response_time": .doubleList(representation: seconds),
        "upstream_connect_time": .doubleList(representation: seconds),
        "upstream_header_time": .doubleList(representation: seconds),
    ]
}
