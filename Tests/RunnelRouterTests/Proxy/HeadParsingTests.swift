import NIOCore
import Testing
@testable import RunnelRouter

@Suite struct HeadParsingTests {
    private func request(_ text: String) throws -> RequestHead { try RequestHead.parse(ByteBuffer(string: text)) }

    private func headLength(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { HeadScanner.headLength(UnsafeRawBufferPointer($0), from: 0) }
    }

    @Test func theHeadEndsAtTheFirstBlankLine() {
        #expect(headLength("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next") == 27)
        #expect(headLength("GET / HTTP/1.1\r\nHost: a\r\n") == nil)
        #expect(headLength("GET / HTTP/1.1\nHost: a\n\n") == nil)
    }

    @Test func aRequestHeadYieldsWhatTheRouterActsOn() throws {
        let head = try request("PUT /a?b=1 HTTP/1.1\r\nHost: App.Test:8080\r\ncontent-length: 12\r\nConnection: close\r\nUser-Agent:  curl \r\n\r\n")
        #expect(head.methodString == "PUT" && head.target == "/a?b=1" && head.minorVersion == 1)
        #expect(head.hostName == "app.test" && head.contentLength == 12 && head.hasBody && !head.keepAlive)
        #expect(head.isIdempotent && head.method == .otherIdempotent && !head.dropped.isEmpty)
        #expect(head.firstValue("user-agent") == "curl")
        let old = try request("POST / HTTP/1.0\r\nConnection: Keep-Alive\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
        #expect(old.keepAlive && old.chunked && !old.isIdempotent && old.hostName == "")
    }

    @Test(arguments: [
        "GARBAGE\u{1}LINE\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Name: a\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    ])
    func malformedRequestHeadsAreRefused(_ text: String) {
        #expect(throws: HeadError.self) { try request(text) }
    }

    /// Values are skimmed 8 bytes at a time: a control byte or DEL anywhere in a value of any
    /// length is still found, and tabs, spaces and bytes above 0x7F are still accepted.
    @Test func everyBytePositionOfAValueIsChecked() throws {
        for length in 1...40 {
            let plain = (0..<length).map(Self.plainValueByte)
            var acceptedText = Array("GET / HTTP/1.1\r\nX-Long: ".utf8)
            acceptedText += plain
            acceptedText += Array("z\r\nHost: h\r\n\r\n".utf8)
            let accepted = try RequestHead.parse(ByteBuffer(bytes: acceptedText))
            #expect(accepted.hostName == "h")
            for position in 0..<length {
                for bad: UInt8 in [0, 1, 0x0D, 0x1F, 0x7F] {
                    var value = plain
                    value[position] = bad
                    var text = Array("GET / HTTP/1.1\r\nX-Long: z".utf8)
                    text += value
                    text += Array("z\r\n\r\n".utf8)
                    #expect(throws: HeadError.self, "byte \(bad) at \(position) of \(length)") { try RequestHead.parse(ByteBuffer(bytes: text)) }
                }
            }
        }
    }

    /// Letters, with a tab and a byte above 0x7F here and there.
    private static func plainValueByte(_ index: Int) -> UInt8 {
        if index % 7 == 3 { return 0xC3 }
        if index % 5 == 4 { return 9 }
        return UInt8(ascii: "a") + UInt8(index % 26)
    }

    @Test func responseHeadsAreReadStrictly() throws {
        let head = try ResponseHead.parse(ByteBuffer(string: "HTTP/1.0 204\r\nTransfer-Encoding: chunked\r\n\r\n"))
        #expect(head.status == 204 && head.minorVersion == 0 && head.chunked && !head.keepsConnection)
        for bad in ["NOT HTTP AT ALL\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"] {
            #expect(throws: HeadError.self) { try ResponseHead.parse(ByteBuffer(string: bad)) }
        }
    }

    /// Feeds `text` in pieces of `step` bytes; returns the data and how many bytes the body took.
    private func frame(_ framing: BodyFraming, _ text: String, step: Int) throws -> (data: String, used: Int, done: Bool) {
        var framing = framing
        let bytes = Array(text.utf8)
        var data: [UInt8] = []
        var offset = 0
        while offset < bytes.count && !framing.isDone {
            let piece = Array(bytes[offset..<min(offset + step, bytes.count)])
            let used = try piece.withUnsafeBytes { raw in try framing.consume(raw) { data += piece[$0] } }
            offset += used
            if used < piece.count { break }
        }
        return (String(decoding: data, as: UTF8.self), offset, framing.isDone)
    }

    @Test(arguments: [1, 3, 100])
    func chunkedBodiesAreFramedInAnyPieces(step: Int) throws {
        let body = "5\r\nhello\r\nA;ext=1\r\n, world!!!\r\n0\r\nTrailer: x\r\n\r\n"
        let result = try frame(.chunked, body + "GET /next", step: step)
        #expect(result.data == "hello, world!!!" && result.used == body.utf8.count && result.done)
        let length = try frame(.length(4), "abcdef", step: step)
        #expect(length.data == "abcd" && length.used == 4 && length.done)
    }

    @Test func malformedChunksAreRefused() {
        for bad in ["x\r\n", "5\r\nhelloX", "5\nhello", "fffffffffffffffff\r\n"] {
            #expect(throws: HeadError.self) { _ = try frame(.chunked, bad, step: 100) }
        }
    }
}
