import Foundation
import Testing

/// `runnel check` exit statuses and messages, as a real process.
@Suite struct CheckCommandTests {
    @Test func emptyGlobalSectionIsValid() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"node-1\"\n")
        let result = try RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("OK"))
    }

    @Test func syntaxErrorNamesLineAndExits78() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"node-1\n")
        let result = try RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("plugins.toml:2"))
    }

    @Test func unsupportedHekaPluginIsNamed() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", """
            [runnel]
            [lua_stats]
            type = "SandboxFilter"
            message_matcher = "TRUE"
            """)
        let result = try RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("SandboxFilter"))
        #expect(result.stderr.contains("plugins.toml:3"))  // the `type` line
    }

    @Test func unsetEnvironmentVariableIsAnError() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"%ENV[RUNNEL_TEST_SURELY_UNSET]\"\n")
        let result = try RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("RUNNEL_TEST_SURELY_UNSET"))
    }

    @Test func secretsFromTheEnvironmentNeverAppearInOutput() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = %ENV[RUNNEL_TEST_SECRET]\n")
        let result = try RunnelProcess.run(["check", "-c", path], environment: ["RUNNEL_TEST_SECRET": "hunter2-secret"])
        #expect(result.status == 78)
        #expect(!result.stderr.contains("hunter2-secret"))
        #expect(!result.stdoutText.contains("hunter2-secret"))
    }

    @Test func missingFileIsAConfigError() throws {
        let result = try RunnelProcess.run(["check", "-c", "/nonexistent/plugins.toml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/plugins.toml"))
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try RunnelProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("runnel "))
        let help = try RunnelProcess.run(["check", "--help"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("--config"))
    }
}
