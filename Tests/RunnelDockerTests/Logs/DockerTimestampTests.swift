import Testing
import RunnelCore
@testable import RunnelDocker

@Suite struct DockerTimestampTests {
    static func parse(_ text: String) -> Int64? { DockerTimestamp.parse(Array(text.utf8)) }

    @Test func dockerStampsToNanoseconds() {
        #expect(Self.parse("1970-01-01T00:00:00Z") == 0)
        #expect(Self.parse("2026-11-25T20:03:58.926614366Z") == 1_795_637_038_926_614_366)
        #expect(Self.parse("2026-11-25T20:03:58.9Z") == 1_795_637_038_900_000_000)
        #expect(Self.parse("2026-11-25T21:03:58.926614366+01:00") == 1_795_637_038_926_614_366)
        #expect(Self.parse("2026-11-25T19:33:58-00:30") == 1_795_637_038_000_000_000)
        #expect(Self.parse("1969-12-31T23:59:59.5Z") == -500_000_000)
        #expect(Self.parse("2024-02-29T00:00:00Z") != nil)
    }

    @Test(arguments: ["", "2026-11-25", "2026-11-25T20:03:58", "2026-11-25T20:03:58.Z", "2026-13-01T00:00:00Z",
                      "2025-02-29T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T20:03:58.1234567890Z",
                      "2026-11-25T20:03:58Zjunk", "2026-11-25T20:03:58+0100", "abcd-11-25T20:03:58Z",
                      "2026-11-25 20:03:58Z", "2026-11-25T20:03:58.926614366Z\u{0}"])
    func malformedStampsAreNil(_ text: String) {
        #expect(Self.parse(text) == nil)
    }

    /// Agrees with the general Go-layout parser on a spread of instants.
    @Test func agreesWithGoTimeLayout() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let nanos = Int64.random(in: 0...4_102_444_800_000_000_000, using: &generator)
            let text = GoTimeLayout.rfc3339Nano.format(nanoseconds: nanos)
            #expect(Self.parse(text) == nanos, "\(text)")
            #expect(try GoTimeLayout.rfc3339Nano.parse(Array(text.utf8)) == nanos)
        }
    }

    @Test func queryValueHasNineDigitsOfNanoseconds() {
        #expect(DockerTimestamp.queryValue(1_795_637_038_000_000_042) == "1795637038.000000042")
        #expect(DockerTimestamp.queryValue(0) == "0.000000000")
        #expect(DockerTimestamp.queryValue(-1) == "-1.999999999")
    }
}
