import NIOCore
import NIOHTTP1
import RunnelCore

/// Responses the router makes itself (no upstream, bad gateway, timeouts, limits): a short JSON
/// body naming the problem and the request id.
struct LocalResponse {
    var status: HTTPResponseStatus
    var message: String
    var requestID: String?

    func head(version: HTTPVersion, keepAlive: Bool, bodyLength: Int) -> HTTPResponseHead {
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(bodyLength))])
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        if let requestID { headers.add(name: "X-Request-Id", value: requestID) }
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }

    var body: ByteBuffer {
        var writer = JSONWriter(reservingCapacity: 128)
        writer.beginObject()
        writer.member("status", Int(status.code))
        writer.member("error", message)
        if let requestID {
            writer.member("request_id", requestID)
        }
        writer.endObject()
        writer.lineBreak()
        return ByteBuffer(bytes: writer.bytes)
    }

    /// The whole response as raw bytes, for handlers that sit below the HTTP encoder.
    func rawBytes(closing: Bool) -> ByteBuffer {
        let body = self.body
        var buffer = ByteBuffer()
        buffer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\n")
        buffer.writeString("Content-Length: \(body.readableBytes)\r\nConnection: \(closing ? "close" : "keep-alive")\r\n\r\n")
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}
