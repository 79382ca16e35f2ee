import Testing
@testable import RunnelCore

@Suite struct EnvSubstitutionTests {
    private let output = """
    [out]
    type = "FileOutput"
    message_matcher = "TRUE"

    """

    @Test func setVariableIsSubstitutedAndMarkedSecret() throws {
        let result = TestCatalog.load(output + "path = \"/logs/%ENV[APP]/out.log\"\nflush_count = %ENV[COUNT]\n",
                                      environment: ["APP": "shop", "COUNT": "250"])
        let out = try #require(result.config?.plugin(named: "out"))
        #expect(out.string("path") == "/logs/shop/out.log")
        #expect(out.integer("flush_count") == 250)
        #expect(out["path"]?.secretVariable == "APP")
        #expect(out["path"]?.description == "<from %ENV[APP]>")
        #expect(out["flush_count"]?.messageText == "<from %ENV[COUNT]>")
        #expect(out["perm"]?.secretVariable == nil)
        #expect(out["path"]?.location == FileLocation(file: "plugins.toml", line: 4, column: 8))
    }

    @Test func unsetVariableWithoutDefaultIsAnErrorNamingFileLineAndVariable() throws {
        let result = TestCatalog.load(output + "path = \"/logs/%ENV[LOG_DIR]\"\n")
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.message == "plugins.toml:4:15: environment variable LOG_DIR is not set (%ENV[LOG_DIR]); set it or give a default: %ENV[LOG_DIR:-value]")
        #expect((error.file, error.line, error.column) == ("plugins.toml", 4, 15))
        #expect(result.config == nil)
    }

    @Test func unsetVariableBreakingTheSyntaxIsReportedOnce() throws {
        let result = TestCatalog.load(output + "path = \"/x\"\nflush_count = %ENV[N]\n")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("environment variable N is not set") == true)
    }

    @Test func defaultIsUsedWhenUnsetOrEmpty() throws {
        let text = output + "path = \"%ENV[LOG_DIR:-/var/log/runnel]/out.log\"\nperm = \"%ENV[PERM:-]\"\n"
        let unset = try #require(TestCatalog.load(text).config?.plugin(named: "out"))
        #expect(unset.string("path") == "/var/log/runnel/out.log")
        #expect(unset["path"]?.secretVariable == nil)
        #expect(unset.string("perm") == "")
        let empty = try #require(TestCatalog.load(text, environment: ["LOG_DIR": ""]).config?.plugin(named: "out"))
        #expect(empty.string("path") == "/var/log/runnel/out.log")
        let set = try #require(TestCatalog.load(text, environment: ["LOG_DIR": "/data"]).config?.plugin(named: "out"))
        #expect(set.string("path") == "/data/out.log")
    }

    @Test func variableSetToEmptyWithoutDefaultIsEmpty() throws {
        let out = try #require(TestCatalog.load(output + "path = \"a%ENV[E]b\"\n", environment: ["E": ""]).config?.plugin(named: "out"))
        #expect(out.string("path") == "ab")
    }

    @Test func commentsAreLeftAlone() throws {
        let result = TestCatalog.load(output + "# password = \"%ENV[UNSET_PASSWORD]\"\npath = \"/x\" # %ENV[ALSO_UNSET]\n")
        #expect(result.errors.isEmpty, "\(result.errors)")
        let hash = TestCatalog.load(output + "path = \"#%ENV[P]\"\n", environment: ["P": "in-string"])
        #expect(hash.config?.plugin(named: "out")?.string("path") == "#in-string")
    }

    @Test func malformedReferencesAreErrors() {
        let unclosed = TestCatalog.load(output + "path = \"%ENV[HOME\"\n")
        #expect(unclosed.errors.map(\.message) == ["plugins.toml:4:9: %ENV[ is not closed by ']' on the same line"])
        let badName = TestCatalog.load(output + "path = \"%ENV[A B]\"\n")
        #expect(badName.errors.first?.message.contains("'A B' in %ENV[...] is not a valid environment variable name") == true)
    }

    @Test func locationsAfterASubstitutionPointAtTheOriginalText() throws {
        let result = TestCatalog.load(output + "path = \"%ENV[LONG]\" flush_count = 1\n",
                                      environment: ["LONG": String(repeating: "x", count: 50)])
        let error = try #require(result.errors.first)
        #expect((error.line, error.column) == (4, 21))
    }

    /// Every way a value can reach a diagnostic, with secrets long and short: none may show.
    @Test func secretsNeverAppearInDiagnostics() throws {
        let secrets = [
            "TYPE": "Zq", "COUNT": "hunter2-count", "OPERATOR": "s3cr3t-op", "ENCODER": "s3cr3t-enc",
            "INTERVAL": "9 fortnights", "MATCH": "pa55word-matcher", "KEY": "s3cr3t-key", "QUOTE": "ab\"cd-s3cr3t",
            "SIZE": "77 zettabytes-s3cr3t",
        ]
        let text = """
        [a]
        type = "%ENV[TYPE]"
        [b]
        type = "%ENV[COUNT]Output"
        [out]
        type = "FileOutput"
        path = "/x"
        message_matcher = "%ENV[MATCH]"
        flush_count = "%ENV[COUNT]"
        flush_operator = "%ENV[OPERATOR]"
        flush_interval = "%ENV[INTERVAL]"
        rotation_size = "%ENV[SIZE]"
        encoder = "%ENV[ENCODER]"
        [in]
        type = "TcpInput"
        address = ":1"
        decoder = "%ENV[ENCODER]"
        """
        let matcher: ConfigLoader.MatcherValidator = { expression in (column: 1, message: "bad token '\(expression)'") }
        let result = TestCatalog.load(text, environment: secrets, matcher: matcher)
        #expect(result.errors.count == 9, "\(result.errors)")
        let shown = result.diagnostics.map { [$0.description, $0.message, $0.section ?? "", $0.key ?? "", $0.suggestion ?? ""].joined(separator: "|") }
        for line in shown {
            for (variable, secret) in secrets {
                #expect(!line.contains(secret), "secret of \(variable) shown in: \(line)")
            }
        }
        #expect(shown.contains { $0.contains("type <from %ENV[TYPE]> is not a plugin type") })
        #expect(shown.contains { $0.contains("found <from %ENV[OPERATOR]>") })
        #expect(shown.contains { $0.contains("found <from %ENV[INTERVAL]>") })

        let syntax = TestCatalog.load("[x]\nv = \"%ENV[QUOTE]\"\n", environment: secrets)
        #expect(syntax.errors.map(\.message) == [
            "plugins.toml:2:6: TOML syntax error: the value substituted for %ENV[QUOTE] breaks the TOML syntax here (the value is not shown)",
        ])
        let key = TestCatalog.load("[x]\n%ENV[KEY] = 1\n", environment: secrets)
        #expect(key.errors.map(\.message) == [
            "plugins.toml:2:1: TOML syntax error: a key or table name cannot come from %ENV[KEY]; only values may be substituted",
        ])
    }

    @Test func redactionNetCatchesSecretTextAnywhere() {
        let diagnostic = ConfigDiagnostic(severity: .error, file: "f", line: 1, section: "s-topsecret", key: "k",
                                          message: "value topsecret leaked", suggestion: "did you mean 'topsecret'?")
        let redacted = SecretRedaction.redact([diagnostic], secrets: ["T": "topsecret", "SHORT": "ab"])
        #expect(redacted.first?.description == "error: value <from %ENV[T]> leaked; did you mean '<from %ENV[T]>'?")
        #expect(redacted.first?.section == "s-<from %ENV[T]>")
    }
}
