import Testing
@testable import RunnelCore

@Suite struct HekaSigningTests {
    private let key = Array("testkey".utf8)
    private var message: Message { SampleMessages.everything }

    /// RFC 2202 test cases 2 (MD5 and SHA1): the libcrypto binding computes real HMACs.
    @Test func hmacMatchesRFC2202() {
        let data = Array("what do ya want for nothing?".utf8)
        let digest = { (hash: HmacHashFunction) in
            data.withUnsafeBytes { HekaHMAC.digest(hash, key: Array("Jefe".utf8), message: $0) }
        }
        #expect(hexString(digest(.md5)) == "75 0c 78 3e 6a b0 b5 03 ea a8 6e 31 0a 5d b7 38")
        #expect(hexString(digest(.sha1)) == "ef fc df 6a e5 eb 2f a2 d2 74 16 d5 f1 84 df 9c 25 9a 7c 79")
        #expect(HekaHMAC.digest(.md5, key: [], message: UnsafeRawBufferPointer(start: nil, count: 0)).count == 16)
    }

    @Test(arguments: [HmacHashFunction.md5, .sha1])
    func signedFramesVerify(hash: HmacHashFunction) throws {
        let signer = MessageSigner(name: "test", key: key, version: 1, hash: hash)
        let verifier = HekaSignatureVerifier(signers: [signer])
        let (frames, corruptions) = readStream(HekaFraming.frame(message, signer: signer), reader: HekaStreamReader(verifier: verifier))
        #expect(corruptions.isEmpty)
        let frame = try #require(frames.first)
        #expect(frame.verifiedSigner == HekaSignatureVerifier.SignerID(name: "test", version: 1))
        #expect(frame.header.hmacHashFunction == hash)
        #expect(frame.header.hmac?.count == (hash == .md5 ? 16 : 20))
        #expect(try frame.decodeMessage() == message)
    }

    @Test(arguments: [HmacHashFunction.md5, .sha1])
    func wrongKeyIsDetectedAndTheFrameReported(hash: HmacHashFunction) {
        let signer = MessageSigner(name: "test", key: key, version: 1, hash: hash)
        let verifier = HekaSignatureVerifier(keys: [.init(name: "test", version: 1): Array("otherkey".utf8)])
        let good = HekaFraming.frame(Message(timestamp: 1, type: "after"))
        let signed = HekaFraming.frame(message, signer: signer)
        let (frames, corruptions) = readStream(signed + good, reader: HekaStreamReader(verifier: verifier))
        #expect(frames.map(\.offset) == [Int64(signed.count)])
        #expect(corruptions == [
            HekaStreamCorruption(
                offset: 0, skippedBytes: signed.count,
                reason: "frame dropped: signature of 'test' version 1 does not match", kind: .signatureRejected)
        ])
    }

    @Test func unknownSignerOrKeyVersionIsReported() {
        let signer = MessageSigner(name: "test", key: key, version: 11)
        let verifier = HekaSignatureVerifier(signers: [MessageSigner(name: "test", key: key, version: 1)])
        let (frames, corruptions) = readStream(HekaFraming.frame(message, signer: signer), reader: HekaStreamReader(verifier: verifier))
        #expect(frames.isEmpty)
        #expect(corruptions.map(\.reason) == ["frame dropped: signed by unknown signer 'test' version 11"])
    }

    @Test func tamperedMessageBytesFailVerification() {
        let signer = MessageSigner(name: "test", key: key, version: 1, hash: .sha1)
        var framed = HekaFraming.frame(message, signer: signer)
        framed[framed.count - 1] ^= 0x01
        let verifier = HekaSignatureVerifier(signers: [signer])
        #expect(readStream(framed, reader: HekaStreamReader(verifier: verifier)).corruptions.map(\.kind) == [.signatureRejected])
        // Without a verifier the frame passes through unverified.
        #expect(readStream(framed).frames.first?.verifiedSigner == nil)
    }

    @Test func unsignedFramesPassUnlessSignaturesAreRequired() {
        let framed = HekaFraming.frame(message)
        let lenient = HekaSignatureVerifier(keys: [:])
        #expect(readStream(framed, reader: HekaStreamReader(verifier: lenient)).frames.count == 1)
        let strict = HekaSignatureVerifier(keys: [:], requireSignature: true)
        let result = readStream(framed, reader: HekaStreamReader(verifier: strict))
        #expect(result.frames.isEmpty)
        #expect(result.corruptions.map(\.reason) == ["frame dropped: unsigned frame"])
    }

    @Test func overlongSignerNamesAreCutToFitTheHeader() {
        let longName = String(repeating: "x", count: 300)
        let signer = MessageSigner(name: longName, key: key, version: .max, hash: .sha1)
        #expect(signer.validationError != nil)
        #expect(MessageSigner(name: String(repeating: "x", count: 216), key: key).validationError == nil)
        let framed = HekaFraming.frame(Message(timestamp: .max, payload: ByteString(String(repeating: "p", count: 70_000))), signer: signer)
        #expect(Int(framed[1]) <= HekaFrameHeader.maxEncodedSize)
        #expect(framed[2 + Int(framed[1])] == HekaFraming.unitSeparator)
        let frames = readStream(framed, reader: HekaStreamReader(maxMessageSize: 1 << 20)).frames
        #expect(frames.first?.header.hmacSigner == String(repeating: "x", count: MessageSigner.maxNameLength))
    }
}
