import Testing
@testable import RunnelCore

@Suite struct Base64Tests {
    @Test func rfc4648Vectors() throws {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            var output: [UInt8] = []
            Base64.encode(Array(plain.utf8), into: &output)
            #expect(output == Array(encoded.utf8))
            #expect(try Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
    }

    @Test func everyByteAndLengthRoundTrips() throws {
        for length in 0...66 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 255) }
            var encoded = Array("prefix".utf8)
            Base64.encode(bytes, into: &encoded)
            #expect(try Base64.decode(Array(encoded.dropFirst(6))) == bytes)
        }
    }

    @Test func rejectsWhatIsNotCanonical() {
        for text in ["Zg", "Zg=", "Zh==", "Zm9=", "Z===", "Zm 9", "Zm9v\n", "=Zm9", "Zg==Zg==", "Zm-_"] {
            #expect(throws: Base64.DecodingError.self, "\(text)") { try Base64.decode(Array(text.utf8)) }
        }
    }
}
