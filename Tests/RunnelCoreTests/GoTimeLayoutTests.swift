import Testing
@testable import RunnelCore

@Suite struct GoTimeLayoutTests {
    static let instant: Int64 = 1_416_840_893_123_456_789  // 2014-11-24T14:54:53.123456789Z, a Monday

    @Test func formatsHekaDefaults() {
        #expect(GoTimeLayout("[2006/Jan/02:15:04:05 -0700] ").format(nanoseconds: Self.instant)
            == "[2014/Nov/24:14:54:53 +0000] ")
        #expect(GoTimeLayout.rfc3339Nano.format(nanoseconds: Self.instant) == "2014-11-24T14:54:53.123456789Z")
        #expect(GoTimeLayout.rfc3339.format(nanoseconds: Self.instant) == "2014-11-24T14:54:53Z")
        #expect(GoTimeLayout("Mon Monday January _2 3:04PM .000 002 06").format(nanoseconds: Self.instant)
            == "Mon Monday November 24 2:54PM .123 328 14")
    }

    @Test func parsesWithOffsetsFractionsAndNames() throws {
        let nginx = GoTimeLayout("02/Jan/2006:15:04:05 -0700")
        #expect(try nginx.parse(Array("24/Nov/2014:16:54:53 +0200".utf8)) == 1_416_840_893_000_000_000)
        #expect(try GoTimeLayout.rfc3339Nano.parse(Array("2014-11-24T14:54:53.123456789Z".utf8)) == Self.instant)
        #expect(try GoTimeLayout.rfc3339.parse(Array("2014-11-24T09:54:53.5-05:00".utf8)) == 1_416_840_893_500_000_000)
        let syslog = GoTimeLayout("Jan _2 15:04:05")
        #expect(try syslog.parse(Array("Nov  4 01:02:03".utf8), defaultYear: 2014)
            == 1_415_062_923_000_000_000)
        #expect(try GoTimeLayout("3:04PM").parse(Array("12:30AM".utf8)) == 30 * 60 * 1_000_000_000)
    }

    @Test func parseErrorsNameTheOffset() {
        let layout = GoTimeLayout("2006-01-02")
        #expect(throws: GoTimeLayout.ParseError(offset: 4, reason: "expected '-'")) {
            try layout.parse(Array("2014/11/24".utf8))
        }
        #expect(throws: GoTimeLayout.ParseError.self) { try layout.parse(Array("2014-13-01".utf8)) }
        #expect(throws: GoTimeLayout.ParseError.self) { try layout.parse(Array("2014-11-24 trailing".utf8)) }
        #expect(throws: GoTimeLayout.ParseError.self) { try layout.parse([0xff, 0x00]) }
    }
}
