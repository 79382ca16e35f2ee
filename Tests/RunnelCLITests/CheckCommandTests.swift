import Foundation
import RunnelTestSupport
import Testing

/// `runnel check` exit statuses and messages, as a real process.
@Suite struct CheckCommandTests {
    @Test func emptyGlobalSectionIsValid() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"node-1\"\n")
        let result = try await RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("OK"))
    }

    @Test func syntaxErrorNamesLineAndExits78() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"node-1\n")
        let result = try await RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("plugins.toml:2"))
    }

    @Test func unsupportedHekaPluginIsNamed() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", """
            [runnel]
            [lua_stats]
            type = "SandboxFilter"
            message_matcher = "TRUE"
            """)
        let result = try await RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("SandboxFilter"))
        #expect(result.stderr.contains("plugins.toml:3"))  // the `type` line
    }

    @Test func unsetEnvironmentVariableIsAnError() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = \"%ENV[RUNNEL_TEST_SURELY_UNSET]\"\n")
        let result = try await RunnelProcess.run(["check", "-c", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("RUNNEL_TEST_SURELY_UNSET"))
    }

    @Test func secretsFromTheEnvironmentNeverAppearInOutput() async throws {
        let scratch = try ScratchFolder()
        let path = try scratch.file("plugins.toml", "[runnel]\nhostname = %ENV[RUNNEL_TEST_SECRET]\n")
        let result = try await RunnelProcess.run(["check", "-c", path], environment: ["RUNNEL_TEST_SECRET": "hunter2-secret"])
        #expect(result.status == 78)
        #expect(!result.stderr.contains("hunter2-secret"))
        #expect(!result.stdoutText.contains("hunter2-secret"))
    }

    @Test func missingFileIsAConfigError() async throws {
        let result = try await RunnelProcess.run(["check", "-c", "/nonexistent/plugins.toml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/plugins.toml"))
    }

    @Test func versionPrintsTheVersion() async throws {
        let result = try await RunnelProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("runnel "))
        let help = try await RunnelProcess.run(["check", "--help"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("--config"))
    }
}
