import Testing
@testable import RunnelCore

/// Bounded, seeded random inputs: the parser and the loader must return a result or an error
/// with a sane location, never crash.
@Suite struct TOMLFuzzTests {
    static let sample = """
    # Sample with every construct
    [runnel]
    base_dir = "/tmp/runnel"   # state
    max_message_size = "64KiB"

    [out]
    type = "FileOutput"
    path = 'C:\\logs\\out.log'
    message_matcher = "Type == 'x' && Fields[a][0][0] != NIL"
    flush_count = 1_000
    flush_interval = 1.5e0
    when = 1979-05-27T07:32:00.5-07:00
    list = [ 1, "two", [3.0, inf], { k = true }, ]
    inline = { a.b = "c", d = 0x1F }
    text = \"\"\"
    multi \\
      line\"\"\"
    raw = '''
    x'''

    [[out.routes]]
    name = "r1"
    [out.routes.sub]
    t = 07:32:00
    """

    /// Bytes chosen to hit the grammar's branches more often than uniform noise would.
    static let alphabet: [UInt8] = Array("[]{}=,.\"'#\\\n\r\t -+_:0123456789abcdefinxobtruezTZ%ENV".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xE2, 0x80]

    private func checkSane(_ bytes: [UInt8]) {
        do {
            _ = try TOML.parse(bytes: bytes, fileName: "fuzz.toml")
        } catch {
            let lines = bytes.filter { $0 == UInt8(ascii: "\n") }.count + 1
            #expect(error.location.line >= 1 && error.location.line <= lines, "\(error)")
            #expect(error.location.column >= 1 && error.location.column <= bytes.count + 1, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func randomByteStringsNeverCrashTheParser() {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...120, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? Self.alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
            }
            checkSane(bytes)
        }
    }

    @Test func everyTruncationOfAValidFileIsHandled() throws {
        let bytes = Array(Self.sample.utf8)
        _ = try TOML.parse(bytes: bytes, fileName: "sample.toml")
        for end in 0...bytes.count { checkSane(Array(bytes[..<end])) }
    }

    @Test func randomMutationsOfAValidFileAreHandledByTheLoader() {
        var generator = SeededGenerator(seed: 0x5EED_0002)
        let original = Array(Self.sample.utf8)
        let loader = TestCatalog.loader(environment: ["X": "v"])
        for _ in 0..<600 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = Self.alphabet.randomElement(using: &generator) ?? 0
                case 1: bytes.remove(at: position)
                default: bytes.insert(Self.alphabet.randomElement(using: &generator) ?? 0, at: position)
                }
            }
            checkSane(bytes)
            let result = loader.load(files: [ConfigSourceFile(name: "m.toml", bytes: bytes)])
            #expect(result.config != nil || !result.errors.isEmpty)
        }
    }
}
