import RunnelCore

/// The JSON form of an access record, with Slardar's (nginx log variable) field names.
enum AccessRecordJSON {
    static func encode(_ record: AccessRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("timestamp", Int(record.timestampNanoseconds / 1_000_000))
        writer.member("remote_addr", record.remoteAddr)
        writer.member("http_host", record.httpHost)
        writer.member("request_method", record.method)
        writer.member("request_uri", record.uri)
        writer.member("status", record.status)
        writer.member("body_bytes_sent", record.bodyBytesSent)
        writer.member("request_length", record.requestLength)
        writer.key("request_time")
        _ = writer.double(milliRounded(record.requestTime))
        writer.member("upstream_name", record.upstreamName)
        writer.member("upstream_addr", record.upstreamAddrs.joined(separator: ", "))
        writer.member("upstream_status", record.upstreamStatuses.map(String.init).joined(separator: ", "))
        writer.member("upstream_response_time", record.upstreamResponseTimes.map { String(milliRounded($0)) }.joined(separator: ", "))
        writer.member("x_request_id", record.requestID)
        writer.member("http_user_agent", record.userAgent)
        writer.member("http_referer", record.referer)
        writer.member("http_x_forwarded_for", record.forwardedFor)
        writer.endObject()
    }

    private static func milliRounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
