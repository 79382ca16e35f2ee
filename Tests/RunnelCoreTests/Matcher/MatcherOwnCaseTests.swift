import Testing
@testable import RunnelCore

private let heka = MatcherTestMessages.heka
private let unset = MatcherTestMessages.unset
private let awkward = MatcherTestMessages.awkward
private let uuidText = MatcherTestMessages.uuid.string

/// Runnel's own matcher cases beyond Heka's suite: every operator on every kind of variable, NIL
/// and indices, precedence, escapes, unset headers, awkward bytes and numbers at the edges.
@Suite struct MatcherOwnCaseTests {
    @Test(arguments: [
        MatcherCase("Type == \"TEST\"", .matches),
        MatcherCase("Type != \"TEST\"", .doesNotMatch),
        MatcherCase("Type == 'test'", .doesNotMatch),
        MatcherCase("Type < 'TEST'", .doesNotMatch),
        MatcherCase("Type <= 'TEST'", .matches),
        MatcherCase("Type > 'TES'", .matches),
        MatcherCase("Type >= 'TESTS'", .doesNotMatch),
        MatcherCase("Type < 'TESU'", .matches),
        MatcherCase("Type > 'tEST'", .doesNotMatch),           // bytewise: 'T' < 't'
        MatcherCase("Type < 'a'", .matches),
        MatcherCase("Logger != 'gospec'", .matches),
        MatcherCase("Logger >= 'GoSpec'", .matches),
        MatcherCase("Logger > 'GoSpec'", .doesNotMatch),
        MatcherCase("Payload == 'Test Payload'", .matches),
        MatcherCase("Payload <= 'Test'", .doesNotMatch),
        MatcherCase("Hostname == 'test-host'", .matches),
        MatcherCase("EnvVersion < '0.10'", .doesNotMatch),     // strings, not versions
        MatcherCase("Uuid == '\(uuidText)'", .matches),
        MatcherCase("Uuid != '\(uuidText)'", .doesNotMatch),
        MatcherCase("Uuid == '\(uuidText.uppercased())'", .doesNotMatch),  // Heka compares the text
        MatcherCase("Uuid == '\(uuidText.replacingOccurrences(of: "-", with: ""))'", .doesNotMatch),
        MatcherCase("Uuid == ''", .doesNotMatch),
        MatcherCase("Uuid != ''", .matches),
        MatcherCase("Uuid > '0b9c2a6e'", .matches),
        MatcherCase("Uuid < '0b9c2a6e'", .doesNotMatch),
        MatcherCase("Uuid =~ /^[0-9a-f]{8}-[0-9a-f]{4}-4/", .matches),
        MatcherCase("Uuid =~ /^0b9c2a6e-/", .matches),
        MatcherCase("Uuid =~ /1b3c$/", .matches),
    ])
    func stringHeaders(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Type =~ /^TEST$/", .matches),
        MatcherCase("Type =~ /^TES$/", .doesNotMatch),
        MatcherCase("Type =~ /ES/", .matches),
        MatcherCase("Type =~ /es/", .doesNotMatch),
        MatcherCase("Type =~ /(?i)es/", .matches),
        MatcherCase("Type =~ /^T.S/", .matches),
        MatcherCase("Type =~ /^T[A-Z]{3}$/", .matches),
        MatcherCase("Type !~ /^T[A-Z]{4}$/", .matches),
        MatcherCase("Type =~ /X|T/", .matches),
        MatcherCase("Type =~ //", .matches),
        MatcherCase("Type !~ //", .doesNotMatch),
        MatcherCase("Type =~ /^/", .matches),
        MatcherCase("Type =~ /$/", .matches),
        MatcherCase("Type =~ /\\AT/", .matches),
        MatcherCase("Type =~ /T\\z/", .matches),
        MatcherCase("Type =~ /^TEST\\n?$/", .matches),
        MatcherCase("Logger =~ /Spec$/", .matches),
        MatcherCase("Logger =~ /^Go/", .matches),
        MatcherCase("Logger !~ /^Go/", .doesNotMatch),
        MatcherCase("Payload =~ /\\bPayload\\b/", .matches),
        MatcherCase("Payload =~ /Test Payload$/", .matches),
        MatcherCase("Payload =~ /\\s/", .matches),
        MatcherCase("Payload =~ /^\\S+$/", .doesNotMatch),
        MatcherCase("Payload =~ /t P/", .matches),
        MatcherCase("Payload =~ /^Test Payload$/", .matches),
        MatcherCase("Payload =~ /^Test Payloa$/", .doesNotMatch),
        MatcherCase("Hostname =~ /^test-/", .matches),
        MatcherCase("EnvVersion =~ /^0\\.8$/", .matches),
        MatcherCase("EnvVersion =~ /^0\\.9$/", .doesNotMatch),
        MatcherCase("EnvVersion =~ /0.8/", .matches),
        MatcherCase("EnvVersion =~ /^0\\.[0-9]+$/", .matches),
        MatcherCase("EnvVersion =~ /(?<major>\\d+)\\.(?<minor>\\d+)/", .matches),
        MatcherCase("EnvVersion =~ /(?P<major>\\d)/", .matches),
        MatcherCase("Type =~ /(T)\\1/", .doesNotMatch),       // PCRE2 backreference
        MatcherCase("Type =~ /T(?=E)/", .matches),            // PCRE2 lookahead
    ])
    func regexOnHeaders(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Severity < 6.5", .matches),
        MatcherCase("Severity > -1", .matches),
        MatcherCase("Severity == -6", .doesNotMatch),
        MatcherCase("Severity >= 6e0", .matches),
        MatcherCase("Severity == .6e1", .matches),
        MatcherCase("Severity == 0.6E+1", .matches),
        MatcherCase("Severity != 6.000001", .matches),
        MatcherCase("Severity <= 5.999", .doesNotMatch),
        MatcherCase("Severity == 6.", .matches),
        MatcherCase("Pid == 12345", .matches),
        MatcherCase("Pid > 12344.5", .matches),
        MatcherCase("Pid < 0", .doesNotMatch),
        MatcherCase("Pid >= 12346", .doesNotMatch),
        MatcherCase("Timestamp == 1416840893000000000", .matches),
        MatcherCase("Timestamp == 1416840893000000001", .doesNotMatch),   // exact, not float64
        MatcherCase("Timestamp != 1416840893000000001", .matches),
        MatcherCase("Timestamp > 1416840892999999999", .matches),
        MatcherCase("Timestamp < 1.416840893e18", .doesNotMatch),
        MatcherCase("Timestamp <= 1.416840893e18", .matches),
        MatcherCase("Timestamp < 1416840893000000000.5", .doesNotMatch),  // a fraction makes a float64: .5 is lost
        MatcherCase("Timestamp > 1e300", .doesNotMatch),
        MatcherCase("Timestamp > -1e300", .matches),
        MatcherCase("Timestamp < 99999999999999999999", .matches),        // beyond Int64
        MatcherCase("Timestamp < 1e999", .matches),                       // infinity
        MatcherCase("Timestamp > -1e999", .matches),
        MatcherCase("Timestamp == 0", .doesNotMatch),
    ])
    func numericHeaders(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Fields[foo] != 'bar'", .doesNotMatch),
        MatcherCase("Fields[foo] > 'ba'", .matches),
        MatcherCase("Fields[foo] < 'bas'", .matches),
        MatcherCase("Fields[foo] >= 'bar'", .matches),
        MatcherCase("Fields[foo] <= 'ba'", .doesNotMatch),
        MatcherCase("Fields[foo] =~ /^b/", .matches),
        MatcherCase("Fields[foo] !~ /^b/", .doesNotMatch),
        MatcherCase("Fields[foo] =~ /^b.r$/", .matches),
        MatcherCase("Fields[foo][1] =~ /nate$/", .matches),
        MatcherCase("Fields[foo][1] != 'bar'", .matches),
        MatcherCase("Fields[foo][2] == NIL", .matches),
        MatcherCase("Fields[foo][2] != NIL", .doesNotMatch),
        MatcherCase("Fields[foo][2] != 'x'", .doesNotMatch),
        MatcherCase("Fields[foo][2] !~ /x/", .doesNotMatch),
        MatcherCase("Fields[foo][0][1] == NIL", .matches),
        MatcherCase("Fields[foo][00][000] == 'bar'", .matches),
        MatcherCase("Fields[foo] == 1", .doesNotMatch),
        MatcherCase("Fields[foo] != 1", .doesNotMatch),
        MatcherCase("Fields[foo] != TRUE", .doesNotMatch),
        MatcherCase("Fields[FOO] == NIL", .matches),                      // names are case-sensitive
        MatcherCase("Fields[Foo] == 'bar'", .doesNotMatch),
        MatcherCase("Fields[bytes] =~ /^da/", .matches),
        MatcherCase("Fields[bytes] =~ /a{2}/", .doesNotMatch),
        MatcherCase("Fields[bytes] != 'data'", .doesNotMatch),
        MatcherCase("Fields[bytes] < 'datb'", .matches),
        MatcherCase("Fields[bytes] == 100", .doesNotMatch),
        MatcherCase("Fields[Payload] =~ /type=(web|db);/", .matches),
        MatcherCase("Fields[Payload] =~ /^name=test;type=web;$/", .matches),
        MatcherCase("Fields[Payload] == 'name=test;type=web;'", .matches),
        MatcherCase("Fields[Payload] =~ /name=\\d+/", .doesNotMatch),
        MatcherCase("Fields[Timestamp] =~ /^Mon Jan/", .matches),
        MatcherCase("Fields[Timestamp] == 'Mon Jan 02 15:04:05 -0700 2006'", .matches),
        MatcherCase("Fields[Timestamp] > 0", .doesNotMatch),
        MatcherCase("Fields[string] == '43'", .matches),
        MatcherCase("Fields[string] > '4'", .matches),
        MatcherCase("Fields[string] < '5'", .matches),
        MatcherCase("Fields[string] =~ /^\\d+$/", .matches),
        MatcherCase("Fields[string] > 42", .doesNotMatch),
    ])
    func stringFields(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Fields[number] == 64", .matches),
        MatcherCase("Fields[number] == 64.0", .matches),
        MatcherCase("Fields[number] > 63.5", .matches),
        MatcherCase("Fields[number] < 64.5", .matches),
        MatcherCase("Fields[number] != 64", .doesNotMatch),
        MatcherCase("Fields[number] <= 63", .doesNotMatch),
        MatcherCase("Fields[number] >= 64", .matches),
        MatcherCase("Fields[number] == '64'", .doesNotMatch),
        MatcherCase("Fields[number] != '64'", .doesNotMatch),
        MatcherCase("Fields[number] =~ /64/", .doesNotMatch),
        MatcherCase("Fields[number] !~ /64/", .doesNotMatch),
        MatcherCase("Fields[number] == TRUE", .doesNotMatch),
        MatcherCase("Fields[int][0][1] > 1000", .matches),
        MatcherCase("Fields[int] < 1000", .matches),
        MatcherCase("Fields[int][0][1] == 999", .doesNotMatch),
        MatcherCase("Fields[int][1] == NIL", .matches),
        MatcherCase("Fields[int][0][2] != NIL", .doesNotMatch),
        MatcherCase("Fields[int][0][2] == 0", .doesNotMatch),
        MatcherCase("Fields[int][0][2] != 0", .doesNotMatch),
        MatcherCase("Fields[double] > 99.8", .matches),
        MatcherCase("Fields[double] < 100", .matches),
        MatcherCase("Fields[double] == 99.90", .matches),
        MatcherCase("Fields[double] != 99.9", .doesNotMatch),
        MatcherCase("Fields[double] >= 99.9", .matches),
        MatcherCase("Fields[double] <= 99.89", .doesNotMatch),
        MatcherCase("Fields[double] == 999e-1", .matches),
        MatcherCase("Fields[double] == 'x'", .doesNotMatch),
        MatcherCase("Fields[double] =~ /99/", .doesNotMatch),
        MatcherCase("Fields[zero] == 0", .matches),
        MatcherCase("Fields[zero] == -0", .matches),
        MatcherCase("Fields[zero] == -0.0", .matches),
        MatcherCase("Fields[zero] >= 0", .matches),
        MatcherCase("Fields[zero] < 0", .doesNotMatch),
        MatcherCase("Fields[zero] != NIL", .matches),
    ])
    func numericFields(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Fields[bool] != FALSE", .matches),
        MatcherCase("Fields[bool] != TRUE", .doesNotMatch),
        MatcherCase("Fields[bool] == 1", .doesNotMatch),
        MatcherCase("Fields[bool] == 'true'", .doesNotMatch),
        MatcherCase("Fields[bool] =~ /true/", .doesNotMatch),
        MatcherCase("Fields[bool] != NIL", .matches),
        MatcherCase("Fields[bool] == NIL", .doesNotMatch),
        MatcherCase("Fields[bool][0][1] == NIL", .matches),
        MatcherCase("Fields[bool][0][1] == FALSE", .doesNotMatch),
        MatcherCase("Fields[off] == FALSE", .matches, on: awkward),
        MatcherCase("Fields[off] != FALSE", .doesNotMatch, on: awkward),
        MatcherCase("Fields[off] == TRUE", .doesNotMatch, on: awkward),
        MatcherCase("Fields[missing] == 'x'", .doesNotMatch),
        MatcherCase("Fields[missing] =~ /./", .doesNotMatch),
        MatcherCase("Fields[missing] !~ /./", .doesNotMatch),
        MatcherCase("Fields[missing] == FALSE", .doesNotMatch),
        MatcherCase("Fields[missing] != FALSE", .doesNotMatch),
        MatcherCase("Fields[missing] < 0", .doesNotMatch),
        MatcherCase("Fields[missing][3][4] == NIL", .matches),
        MatcherCase("Fields[empty] == NIL", .matches, on: awkward),        // a field without values
        MatcherCase("Fields[empty] != NIL", .doesNotMatch, on: awkward),
        MatcherCase("Fields[empty] == ''", .doesNotMatch, on: awkward),
        MatcherCase("Fields[my field] == 'v'", .matches, on: awkward),
        MatcherCase("Fields[a[b] == 'w'", .matches, on: awkward),
        MatcherCase("Fields[ünï] == 'u'", .matches, on: awkward),
        MatcherCase("Fields[ my field] == NIL", .matches, on: awkward),
    ])
    func boolMissingAndOddNames(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("TRUE || FALSE && FALSE", .matches),
        MatcherCase("(TRUE || FALSE) && FALSE", .doesNotMatch),
        MatcherCase("FALSE && FALSE || TRUE", .matches),
        MatcherCase("FALSE && (FALSE || TRUE)", .doesNotMatch),
        MatcherCase("FALSE || FALSE || FALSE || TRUE", .matches),
        MatcherCase("TRUE && TRUE && TRUE && FALSE", .doesNotMatch),
        MatcherCase("((((TRUE))))", .matches),
        MatcherCase("((FALSE) || (TRUE && (FALSE || TRUE)))", .matches),
        MatcherCase("Type == 'TEST' && (Fields[foo] == 'x' || (Fields[int] == 999 && Severity < 7))", .matches),
        MatcherCase("(Type == 'x' || Type == 'y') && TRUE", .doesNotMatch),
        MatcherCase("Type == 'x' || Type == 'y' && TRUE", .doesNotMatch),
        MatcherCase("Type == 'TEST' || Type == 'y' && FALSE", .matches),
        MatcherCase("Type=='TEST'&&Severity==6", .matches),
        MatcherCase("Type=~/^TE/&&Fields[int]>=999", .matches),
        MatcherCase("\tType\t==\t'TEST'\r\n", .matches),
        MatcherCase("Type == 'TEST'\n&& Severity == 6\n", .matches),
        MatcherCase("TRUE && Fields[missing] == NIL && Fields[foo][1] == 'alternate'", .matches),
        MatcherCase("Severity == 6 && (Logger == 'GoSpec' && (Pid > 0 && (Hostname != '' && Type =~ /T/)))", .matches),
        MatcherCase("Severity == 7 || (Logger == 'x' || (Pid < 0 || (Hostname == '' || Type !~ /T/)))", .doesNotMatch),
        MatcherCase(String(repeating: "(", count: 64) + "TRUE" + String(repeating: ")", count: 64), .matches),
        MatcherCase(String(repeating: "(", count: 65) + "TRUE" + String(repeating: ")", count: 65), .rejected),
    ])
    func logicAndPrecedence(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Type == 'te\\'st'", .matches, on: MatcherTestMessages.typed("te'st")),
        MatcherCase("Type == \"te'st\"", .matches, on: MatcherTestMessages.typed("te'st")),
        MatcherCase("Type == \"a\\\"b\"", .matches, on: MatcherTestMessages.typed("a\"b")),
        MatcherCase("Type == 'a\\\"b'", .matches, on: MatcherTestMessages.typed("a\"b")),
        MatcherCase("Type == 'C:\\\\dir'", .matches, on: MatcherTestMessages.typed("C:\\dir")),
        MatcherCase("Type == 'C:\\dir'", .matches, on: MatcherTestMessages.typed("C:\\dir")),
        MatcherCase("Type == 'C:\\\\\\\\dir'", .doesNotMatch, on: MatcherTestMessages.typed("C:\\dir")),
        MatcherCase("Type =~ /^C:\\\\dir$/", .matches, on: MatcherTestMessages.typed("C:\\dir")),
        MatcherCase("Type =~ /\\\\/", .matches, on: MatcherTestMessages.typed("C:\\dir")),
        MatcherCase("Type =~ /a\\/b/", .matches, on: MatcherTestMessages.typed("a/b")),
        MatcherCase("Type =~ /^a\\/b$/", .matches, on: MatcherTestMessages.typed("a/b")),
        MatcherCase("Type =~ /^a\\/b$/", .doesNotMatch, on: MatcherTestMessages.typed("a\\/b")),
        MatcherCase("Type == 'line\none'", .matches, on: MatcherTestMessages.typed("line\none")),
        MatcherCase("Type =~ /^line\\none$/", .matches, on: MatcherTestMessages.typed("line\none")),
        MatcherCase("Type =~ /^\\$5\\.00$/", .matches, on: MatcherTestMessages.typed("$5.00")),
        MatcherCase("Type =~ /^\\$5\\.00$/", .doesNotMatch, on: MatcherTestMessages.typed("$5x00")),
        MatcherCase("Type =~ /5.00$/", .matches, on: MatcherTestMessages.typed("$5x00")),
        MatcherCase("Type =~ /^résumé$/", .matches, on: MatcherTestMessages.typed("résumé")),
        MatcherCase("Type =~ /^r.sum.$/", .matches, on: MatcherTestMessages.typed("résumé")),   // . is a character
        MatcherCase("Type =~ /^[é]+$/", .matches, on: MatcherTestMessages.typed("éé")),
        MatcherCase("Type == ''", .matches, on: MatcherTestMessages.typed("")),
        MatcherCase("Type == \"\"", .matches, on: MatcherTestMessages.typed("")),
    ])
    func escapesAndText(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Type == ''", .matches, on: unset),
        MatcherCase("Type != ''", .doesNotMatch, on: unset),
        MatcherCase("Type =~ /^$/", .matches, on: unset),
        MatcherCase("Payload =~ /./", .doesNotMatch, on: unset),
        MatcherCase("Payload !~ /./", .matches, on: unset),
        MatcherCase("Payload =~ /^.*$/", .matches, on: unset),
        MatcherCase("Logger < 'a'", .matches, on: unset),
        MatcherCase("Hostname == ''", .matches, on: unset),
        MatcherCase("EnvVersion >= ''", .matches, on: unset),
        MatcherCase("EnvVersion > ''", .doesNotMatch, on: unset),
        MatcherCase("Uuid == ''", .matches, on: unset),
        MatcherCase("Uuid != ''", .doesNotMatch, on: unset),
        MatcherCase("Uuid =~ /^$/", .matches, on: unset),
        MatcherCase("Uuid == '00000000-0000-0000-0000-000000000000'", .doesNotMatch, on: unset),
        MatcherCase("Uuid == '00000000-0000-0000-0000-000000000000'", .matches, on: awkward),
        MatcherCase("Severity == 7", .matches, on: unset),
        MatcherCase("Severity != 7", .doesNotMatch, on: unset),
        MatcherCase("Pid == 0", .matches, on: unset),
        MatcherCase("Timestamp == 0", .matches, on: unset),
        MatcherCase("Timestamp > 0", .doesNotMatch, on: unset),
        MatcherCase("Fields[anything] == NIL", .matches, on: unset),
        MatcherCase("Fields[anything] != NIL", .doesNotMatch, on: unset),
        MatcherCase("Severity == 0", .matches, on: awkward),              // set to 0 is not unset
        MatcherCase("Pid == -1", .matches, on: awkward),
        MatcherCase("Timestamp < 0", .matches, on: awkward),
    ])
    func unsetHeaders(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Payload =~ /b/", .matches, on: awkward),
        MatcherCase("Payload =~ /b+/", .matches, on: awkward),
        MatcherCase("Payload =~ /é$/", .matches, on: awkward),
        MatcherCase("Payload =~ /é+$/", .matches, on: awkward),
        MatcherCase("Payload =~ /^a/", .matches, on: awkward),
        MatcherCase("Payload =~ /^a+/", .matches, on: awkward),
        MatcherCase("Payload =~ /^a./", .doesNotMatch, on: awkward),      // . never matches invalid UTF-8
        MatcherCase("Payload =~ /a.*b/", .doesNotMatch, on: awkward),
        MatcherCase("Payload =~ /\\x00b/", .matches, on: awkward),        // NUL is an ordinary character
        MatcherCase("Payload =~ /b.$/", .matches, on: awkward),
        MatcherCase("Payload !~ /^a.b/", .matches, on: awkward),
        MatcherCase("Payload =~ /\\xff/", .doesNotMatch, on: awkward),    // U+00FF, not the byte
        MatcherCase("Type == 'ab'", .doesNotMatch, on: awkward),
        MatcherCase("Type == 'ab\u{0}cd'", .matches, on: awkward),
        MatcherCase("Type =~ /^ab\\x00cd$/", .matches, on: awkward),
        MatcherCase("Type =~ /^ab\u{0}cd$/", .matches, on: awkward),
        MatcherCase("Type > 'ab'", .matches, on: awkward),
        MatcherCase("Type < 'ab\u{0}d'", .matches, on: awkward),
        MatcherCase("Fields[text] =~ /y$/", .matches, on: awkward),
        MatcherCase("Fields[text] =~ /y+$/", .matches, on: awkward),
        MatcherCase("Fields[text] =~ /^x.y$/", .doesNotMatch, on: awkward),
        MatcherCase("Fields[text] == 'x'", .doesNotMatch, on: awkward),
        MatcherCase("Fields[text] > 'x'", .matches, on: awkward),
        MatcherCase("Fields[blob] =~ /\\x00\\x01/", .matches, on: awkward),
        MatcherCase("Fields[blob] =~ /^\\x00/", .matches, on: awkward),
    ])
    func awkwardBytes(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        MatcherCase("Fields[neg] == -42", .matches, on: awkward),
        MatcherCase("Fields[neg] < -41.5", .matches, on: awkward),
        MatcherCase("Fields[neg] > -43", .matches, on: awkward),
        MatcherCase("Fields[neg] >= -42e0", .matches, on: awkward),
        MatcherCase("Fields[max] == 9223372036854775807", .matches, on: awkward),
        MatcherCase("Fields[max] > 9223372036854775806", .matches, on: awkward),
        MatcherCase("Fields[max] < 9.3e18", .matches, on: awkward),
        MatcherCase("Fields[max] == 9.223372036854775807e18", .doesNotMatch, on: awkward),  // that is 2^63
        MatcherCase("Fields[max] < 9223372036854775808", .matches, on: awkward),
        MatcherCase("Fields[min] == -9223372036854775808", .matches, on: awkward),
        MatcherCase("Fields[min] < -9.2e18", .matches, on: awkward),
        MatcherCase("Fields[min] > -9223372036854775809", .matches, on: awkward),
        MatcherCase("Fields[min] != -9223372036854775809", .matches, on: awkward),
        MatcherCase("Fields[max] < 99999999999999999999999", .matches, on: awkward),
        MatcherCase("Fields[max] >= 99999999999999999999999", .doesNotMatch, on: awkward),
        MatcherCase("Fields[negative] == -1.5", .matches, on: awkward),
        MatcherCase("Fields[negative] < -1", .matches, on: awkward),
        MatcherCase("Fields[huge] > 1e299", .matches, on: awkward),
        MatcherCase("Fields[huge] < 1e301", .matches, on: awkward),
        MatcherCase("Fields[infinity] > 1e308", .matches, on: awkward),
        MatcherCase("Fields[infinity] == 1e999", .matches, on: awkward),
        MatcherCase("Fields[nan] == 0", .doesNotMatch, on: awkward),
        MatcherCase("Fields[nan] != 0", .matches, on: awkward),
        MatcherCase("Fields[nan] < 1e999", .doesNotMatch, on: awkward),
        MatcherCase("Fields[nan] != NIL", .matches, on: awkward),
    ])
    func edgeNumbers(_ testCase: MatcherCase) { testCase.check() }

    @Test(arguments: [
        "type == 'TEST'", "TYPE == 'TEST'", "true", "Type", "Type ==", "Type == ", "== 'x'", "'x' == Type",
        "Type == 'x' &&", "&& Type == 'x'", "Type == 'x' || ", "Type == 'x' & Severity == 6",
        "Type == 'x' | Severity == 6", "!(Type == 'x')", "Type == 'x')", "((Type == 'x')", "()",
        "Type == 'a' Type == 'b'", "Severity == 6e", "Severity == 1.2.3", "Severity == 0x10",
        "Severity == - 1", "Severity == --1", "Severity == 6abc", "Severity == '6'", "Severity == TRUE",
        "Severity =~ /6/", "Timestamp !~ /1/", "Severity == NIL", "Type == 6", "Type == TRUE", "Type > /x/",
        "Type =~ \"x\"", "Type == Logger", "Type == bogus", "Fields[foo] == Fields[bar]", "Fields[foo] < TRUE",
        "Fields[foo] >= FALSE", "Fields[foo] =~ NIL", "Fields[foo] < NIL", "Fields[foo] =~ 5",
        "Fields[foo] =~ TRUE", "Fields[foo] == /x/", "Fields", "Fields == 1", "Fields[foo][-1] == 1",
        "Fields[foo][1.5] == 1", "Fields[foo][99999999999] == 1", "Fields[foo", "Fields[foo][1",
        "Fields[foo][0][0][0] == 1", "Type =~ /(/", "Type =~ /[a-/", "Type =~ /a{2,1}/", "Type =~ /\\k/",
        "Type =~ /\\q/", "Type =~ /x\\", "Type == 'abc\\'", "Type == \"abc", "Uuid == NIL", "Payload != NIL",
        "NIL == Fields[x]", "Type = = 'x'", "Type === 'x'", "Type == 'x' &&& TRUE", "Type == 'x' ;", "#",
        "Type == 'x' @", "   ", "\n", "TRUE FALSE", "TRUE TRUE", "TRUE (FALSE)", "(TRUE) FALSE", "Type == 'x' 5",
        "Type == 'TEST' Bogus", "TRUE\u{0}", "Type == 'x' && NIL", "Type ~= /x/", "Type =! 'x'", "Type <> 'x'",
        "Type => 'x'", "Severity == 1_000", "Severity == ..5", "Severity == 1e+", "Severity == Inf",
        "Severity == NaN", "Fields[foo]] == 1", "Fields[foo][0]x == 1",
    ])
    func rejected(_ expression: String) {
        MatcherCase(expression, .rejected).check()
    }
}
