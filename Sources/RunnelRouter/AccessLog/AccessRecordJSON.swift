import RunnelCore

/// The JSON form of an access record, with Slardar's (nginx log variable) field names.
enum AccessRecordJSON {
    static func encode(_ record: AccessRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("timestamp")
        writer.integer(record.timestampNanoseconds / 1_000_000)
        field("remote_addr", record.remoteAddr, &writer)
        field("http_host", record.httpHost, &writer)
        field("request_method", record.method, &writer)
        field("request_uri", record.uri, &writer)
        writer.key("status")
        writer.integer(record.status)
        writer.key("body_bytes_sent")
        writer.integer(record.bodyBytesSent)
        writer.key("request_length")
        writer.integer(record.requestLength)
        writer.key("request_time")
        _ = writer.double(milliRounded(record.requestTime))
        field("upstream_name", record.upstreamName, &writer)
        field("upstream_addr", record.upstreamAddrs.joined(separator: ", "), &writer)
        field("upstream_status", record.upstreamStatuses.map(String.init).joined(separator: ", "), &writer)
        field("upstream_response_time",
              record.upstreamResponseTimes.map { String(milliRounded($0)) }.joined(separator: ", "), &writer)
        field("x_request_id", record.requestID, &writer)
        field("http_user_agent", record.userAgent, &writer)
        field("http_referer", record.referer, &writer)
        field("http_x_forwarded_for", record.forwardedFor, &writer)
        writer.endObject()
    }

    private static func field(_ name: String, _ value: String, _ writer: inout JSONWriter) {
        writer.key(name)
        writer.string(value)
    }

    private static func milliRounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
