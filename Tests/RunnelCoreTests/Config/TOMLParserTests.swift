import Testing
@testable import RunnelCore

@Suite struct TOMLParserTests {
    private func parse(_ text: String) throws -> ConfigTable { try TOML.parse(text, fileName: "t.toml") }

    @Test func scalarsOfEveryType() throws {
        let table = try parse("""
        s = "text"
        i = 42
        f = 3.5
        b = true
        n = false
        d = 1979-05-27
        """)
        #expect(table["s"] == "text")
        #expect(table["i"] == 42)
        #expect(table["f"] == 3.5)
        #expect(table["b"] == true)
        #expect(table["n"] == false)
        #expect(table["d"]?.dateTimeValue == TOMLDateTime(date: .init(year: 1979, month: 5, day: 27), time: nil))
        #expect(table.keys == ["s", "i", "f", "b", "n", "d"])
    }

    @Test func basicStringEscapes() throws {
        let table = try parse(#"s = "tab\there \"q\" back\\slash \u00E9 \U0001F600 nl\n cr\r bs\b ff\f""#)
        #expect(table["s"] == "tab\there \"q\" back\\slash é 😀 nl\n cr\r bs\u{8} ff\u{c}")
    }

    @Test func literalStringsKeepBackslashes() throws {
        let table = try parse(#"p = 'C:\Users\nodejs\templates'"#)
        #expect(table["p"] == #"C:\Users\nodejs\templates"#)
    }

    @Test func multiLineBasicStringTrimsFirstNewlineAndLineEndingBackslash() throws {
        let table = try parse("s = \"\"\"\nRoses are red\nViolets are blue\"\"\"\nt = \"\"\"\\\n   The quick \\\n\n   brown fox.\\\n   \"\"\"\n")
        #expect(table["s"] == "Roses are red\nViolets are blue")
        #expect(table["t"] == "The quick brown fox.")
    }

    @Test func multiLineStringsAllowQuotesNextToTheDelimiter() throws {
        let table = try parse("a = \"\"\"Here are two quotation marks: \"\". Simple.\"\"\"\nb = \"\"\"\"This,\" she said.\"\"\"\"\nc = '''''That,'' she said.'''''\n")
        #expect(table["a"] == "Here are two quotation marks: \"\". Simple.")
        #expect(table["b"] == "\"This,\" she said.\"")
        #expect(table["c"] == "''That,'' she said.''")
    }

    @Test func multiLineLiteralStringHasNoEscapes() throws {
        let table = try parse("re = '''\nI [dw]on't need \\d{2} apples\n'''")
        #expect(table["re"] == "I [dw]on't need \\d{2} apples\n")
    }

    @Test func crlfInMultiLineStringsBecomesLF() throws {
        let table = try parse("s = \"\"\"\r\na\r\nb\"\"\"\r\n")
        #expect(table["s"] == "a\nb")
    }

    @Test func integersInEveryBaseWithUnderscores() throws {
        let table = try parse("""
        a = +99
        b = -17
        c = 0
        d = 1_000_000
        e = 0xDEAD_beef
        f = 0o755
        g = 0b1101_0110
        h = 9223372036854775807
        i = -9223372036854775808
        j = -0
        """)
        #expect(table["a"] == 99)
        #expect(table["b"] == -17)
        #expect(table["c"] == 0)
        #expect(table["d"] == 1_000_000)
        #expect(table["e"] == 0xDEADBEEF)
        #expect(table["f"] == 0o755)
        #expect(table["g"] == 0b1101_0110)
        #expect(table["h"]?.integerValue == Int64.max)
        #expect(table["i"]?.integerValue == Int64.min)
        #expect(table["j"] == 0)
    }

    @Test func floatsWithExponentsAndSpecialValues() throws {
        let table = try parse("""
        a = +1.0
        b = -0.01
        c = 5e+22
        d = 1e06
        e = -2E-2
        f = 6.626e-34
        g = 224_617.445_991
        h = inf
        i = -inf
        j = nan
        k = +nan
        l = -0.0
        """)
        #expect(table["a"] == 1.0)
        #expect(table["b"] == -0.01)
        #expect(table["c"] == 5e22)
        #expect(table["d"] == 1e6)
        #expect(table["e"] == -0.02)
        #expect(table["f"] == 6.626e-34)
        #expect(table["g"] == 224_617.445_991)
        #expect(table["h"]?.doubleValue == .infinity)
        #expect(table["i"]?.doubleValue == -.infinity)
        #expect(table["j"]?.doubleValue?.isNaN == true)
        #expect(table["k"]?.doubleValue?.isNaN == true)
        #expect(table["l"]?.doubleValue?.sign == .minus)
    }

    @Test func dateTimesInAllFourForms() throws {
        let table = try parse("""
        odt1 = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27T00:32:00-07:00
        odt3 = 1979-05-27T00:32:00.999999-07:00
        odt4 = 1979-05-27 07:32:00Z
        odt5 = 1979-05-27t07:32:00z
        ldt = 1979-05-27T07:32:00.5
        ld = 2000-02-29
        lt = 00:32:00.123456789123
        """)
        let odt1 = try #require(table["odt1"]?.dateTimeValue)
        #expect(odt1.form == .offsetDateTime)
        #expect(odt1.epochNanoseconds == 296_638_320_000_000_000)
        #expect(table["odt2"]?.dateTimeValue?.epochNanoseconds == odt1.epochNanoseconds)
        #expect(table["odt2"]?.dateTimeValue?.utcOffsetMinutes == -420)
        #expect(table["odt3"]?.dateTimeValue?.time?.nanosecond == 999_999_000)
        #expect(table["odt3"]?.dateTimeValue?.description == "1979-05-27T00:32:00.999999-07:00")
        #expect(table["odt4"]?.dateTimeValue == odt1)
        #expect(table["odt5"]?.dateTimeValue == odt1)
        #expect(table["ldt"]?.dateTimeValue?.form == .localDateTime)
        #expect(table["ldt"]?.dateTimeValue?.description == "1979-05-27T07:32:00.5")
        #expect(table["ld"]?.dateTimeValue?.form == .localDate)
        #expect(table["lt"]?.dateTimeValue?.form == .localTime)
        #expect(table["lt"]?.dateTimeValue?.time == TOMLDateTime.LocalTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789))
    }

    @Test func dottedKeysBuildNestedTables() throws {
        let table = try parse("""
        name = "Orange"
        physical.color = "orange"
        physical.shape = "round"
        site."google.com" = true
        3.14159 = "pi"
        """)
        #expect(table.string("physical.color") == "orange")
        #expect(table["physical"]?.tableValue?["shape"] == "round")
        #expect(table["site"]?.tableValue?["google.com"] == true)
        #expect(table["3"]?.tableValue?["14159"] == "pi")
    }

    @Test func tablesSubTablesAndSuperTablesDefinedLater() throws {
        let table = try parse("""
        [x.y.z.w]
        a = 1
        [x]
        b = 2
        [fruit]
        apple.color = "red"
        [fruit.apple.texture]
        smooth = true
        """)
        #expect(table.integer("x.y.z.w.a") == 1)
        #expect(table.integer("x.b") == 2)
        #expect(table.bool("fruit.apple.texture.smooth") == true)
        #expect(table.string("fruit.apple.color") == "red")
    }

    @Test func arraysOfTablesWithSubTables() throws {
        let table = try parse("""
        [[fruits]]
        name = "apple"
        [fruits.physical]
        color = "red"
        [[fruits.varieties]]
        name = "red delicious"
        [[fruits.varieties]]
        name = "granny smith"
        [[fruits]]
        name = "banana"
        """)
        let fruits = try #require(table["fruits"]?.arrayValue)
        #expect(fruits.count == 2)
        #expect(fruits[0].tableValue?.string("physical.color") == "red")
        #expect(fruits[0].tableValue?["varieties"]?.arrayValue?.count == 2)
        #expect(fruits[1].tableValue?["name"] == "banana")
    }

    @Test func inlineTablesAndMixedArrays() throws {
        let table = try parse("""
        point = { x = 1, y = 2, nested.deep = "yes" }
        empty = {}
        mixed = [ 1, "two", 3.0, [4], { five = 5 }, ]
        multi = [
          "a",  # comment
          # another
          "b"
        ]
        """)
        #expect(table.integer("point.y") == 2)
        #expect(table.string("point.nested.deep") == "yes")
        #expect(table["empty"]?.tableValue?.isEmpty == true)
        #expect(table["mixed"] == [1, "two", 3.0, [4], .table(["five": 5])])
        #expect(table.strings("multi") == ["a", "b"])
    }

    @Test func quotedAndEmptyKeys() throws {
        let table = try parse("""
        "key with spaces" = 1
        'literal "key"' = 2
        "" = 3
        "ʎǝʞ" = 4
        """)
        #expect(table["key with spaces"] == 1)
        #expect(table["literal \"key\""] == 2)
        #expect(table[""] == 3)
        #expect(table["ʎǝʞ"] == 4)
    }

    @Test func keysAndValuesKeepTheirLineAndColumn() throws {
        let table = try parse("""
        # comment
        [server]
          host = "example.com"
          ports = [ 80, 443 ]
        [server.tls]
        cert = 'c.pem'
        """)
        let server = try #require(table.entry("server"))
        #expect(server.value.location == FileLocation(file: "t.toml", line: 2, column: 1))
        let host = try #require(server.value.tableValue?.entry("host"))
        #expect(host.keyLocation == FileLocation(file: "t.toml", line: 3, column: 3))
        #expect(host.value.location == FileLocation(file: "t.toml", line: 3, column: 10))
        let ports = try #require(server.value.tableValue?["ports"]?.arrayValue)
        #expect(ports[1].location?.line == 4)
        #expect(ports[1].location?.column == 17)
        #expect(table.value(at: "server.tls")?.location?.line == 5)
        #expect(table.value(at: "server.tls.cert")?.location?.column == 8)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let table = try parse("\"ü\" = 1")
        #expect(table.entry("ü")?.value.location?.column == 7)
        let error = #expect(throws: TOMLSyntaxError.self) { try parse("a = \"ééé\" x") }
        #expect(error?.location.column == 11)
    }

    @Test func crlfLineEndingsAndByteOrderMark() throws {
        let table = try parse("\u{FEFF}a = 1\r\n[t]\r\nb = 2 # c\r\n")
        #expect(table["a"] == 1)
        #expect(table.integer("t.b") == 2)
        #expect(table.value(at: "t.b")?.location?.line == 3)
    }

    @Test func emptyAndCommentOnlyDocuments() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\n  # only a comment\n\t\n").isEmpty)
    }

    @Test func valueDescriptionIsTOMLSyntax() throws {
        let table = try parse(#"v = { s = "a\"b", n = [1, 2.5, true], d = 1979-05-27T07:32:00Z }"#)
        #expect(table["v"]?.description == #"{ s = "a\"b", n = [1, 2.5, true], d = 1979-05-27T07:32:00Z }"#)
    }
}
