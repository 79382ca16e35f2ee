import NIOCore
import NIOHTTP1
import RunnelCore

/// Responses the router makes itself (no upstream, bad gateway, timeouts, limits): a short JSON
/// body naming the problem and the request id.
struct LocalResponse {
    var status: HTTPResponseStatus
    var message: String
    var requestID: String?

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

    /// The whole response as bytes.
    func rawBytes(minorVersion: Int = 1, keepAlive: Bool) -> ByteBuffer {
        let body = self.body
        var buffer = ByteBuffer()
        buffer.writeString("HTTP/1.\(minorVersion) \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\n")
        buffer.writeString("Content-Length: \(body.readableBytes)\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n")
        if let requestID { buffer.writeString("X-Request-Id: \(requestID)\r\n") }
        buffer.writeStaticString("\r\n")
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}
