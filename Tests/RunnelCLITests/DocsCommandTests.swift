import Foundation
import RunnelTestSupport
import Testing

/// The committed reference page is the generated one, so the docs never drift from the schemas.
@Suite struct DocsCommandTests {
    @Test func committedPluginReferenceIsCurrent() async throws {
        let result = try await RunnelProcess.run(["docs"])
        #expect(result.status == 0)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try Data(contentsOf: repository.appendingPathComponent("docs/plugins.md"))
        #expect(result.stdout == committed, "docs/plugins.md is stale: run `.build/debug/runnel docs > docs/plugins.md`")
        #expect(result.stdoutText.contains("LogstreamerInput"))
        #expect(result.stdoutText.contains("flush_count"))
    }
}
