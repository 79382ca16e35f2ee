import Testing
@testable import RunnelCore

@Suite struct CivilTimeTests {
    @Test func knownInstants() {
        #expect(CivilTime(nanosecondsSinceEpoch: 0).rfc3339Nano == "1970-01-01T00:00:00.000000000Z")
        #expect(CivilTime(nanosecondsSinceEpoch: 1_416_840_893_000_000_000).rfc3339Nano
            == "2014-11-24T14:54:53.000000000Z")
        #expect(CivilTime(nanosecondsSinceEpoch: 951_782_400_123_456_789).rfc3339Nano
            == "2000-02-29T00:00:00.123456789Z")
        #expect(CivilTime(nanosecondsSinceEpoch: -1).rfc3339Nano == "1969-12-31T23:59:59.999999999Z")
    }

    @Test func weekdayAndDayOfYear() {
        let leapDay = CivilTime(nanosecondsSinceEpoch: 951_782_400_000_000_000)  // 2000-02-29, a Tuesday
        #expect(leapDay.weekday == 2)
        #expect(leapDay.dayOfYear == 60)
        let epoch = CivilTime(nanosecondsSinceEpoch: 0)
        #expect(epoch.weekday == 4)
        #expect(epoch.dayOfYear == 1)
        let newYearsEve = CivilTime(nanosecondsSinceEpoch: 1_735_603_200_000_000_000)  // 2024-12-31
        #expect(newYearsEve.dayOfYear == 366)
    }

    @Test func extremesDoNotTrap() {
        _ = CivilTime(nanosecondsSinceEpoch: .max).rfc3339Nano
        _ = CivilTime(nanosecondsSinceEpoch: .min).rfc3339Nano
    }

    @Test func textFormatShowsHeaderAndTypedFields() {
        var message = Message(timestamp: 1_416_840_893_000_000_000, type: "TEST", severity: 6, payload: "hi")
        message.addField(.string("foo", "bar"))
        message.addField(Field(name: "n", representation: "count", values: .integer([1, 2])))
        message.addField(.bytes("b", [0xde, 0xad]))
        let text = MessageTextFormat.render(message)
        #expect(text.contains(":Timestamp: 2014-11-24T14:54:53.000000000Z\n"))
        #expect(text.contains(":Severity: 6\n"))
        #expect(text.contains("| name:\"foo\" type:string value:\"bar\"\n"))
        #expect(text.contains("| name:\"n\" type:integer representation:\"count\" value:[1,2]\n"))
        #expect(text.contains("| name:\"b\" type:bytes value:0xdead\n"))
    }
}
