import Foundation
import Testing
@testable import RunnelCore

/// Real Heka configurations from ../shared/heka-conformance/configs. With only the test catalog,
/// nothing here passes validation; what must hold is that Lua sandbox types are refused by name,
/// templates fail as TOML with a line number, and nothing crashes.
@Suite struct HekaConformanceConfigTests {
    /// `$RUNNEL_SHARED_DIR`, else the `shared` directory next to the repository (or next to an
    /// ancestor of it, for git worktrees). When none exists the first candidate is returned and
    /// the tests fail on it: the data is required, never skipped.
    static func conformanceConfigDirectory() -> URL {
        if let override = ProcessInfo.processInfo.environment["RUNNEL_SHARED_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override).appendingPathComponent("heka-conformance/configs")
        }
        var ancestor = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { ancestor.deleteLastPathComponent() }  // …/Tests/RunnelCoreTests/Config/<file>
        var candidates: [URL] = []
        while ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
            candidates.append(ancestor.appendingPathComponent("shared/heka-conformance/configs"))
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    static let environment = ["ELASTICSEARCH_PORT_9200_TCP_ADDR": "10.0.0.1", "ELASTICSEARCH_PORT_9200_TCP_PORT": "9200"]

    private func configs() throws -> [(url: URL, text: String)] {
        let directory = Self.conformanceConfigDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".toml") }.sorted()
        try #require(!names.isEmpty, "no configs in \(directory.path)")
        return try names.map { name in
            let url = directory.appendingPathComponent(name)
            return (url, try String(contentsOf: url, encoding: .utf8))
        }
    }

    /// The header of a template says it is not valid TOML until rendered.
    private func isTemplate(_ text: String) -> Bool {
        text.split(separator: "\n").prefix(while: { $0.hasPrefix("#") }).contains { $0.contains("NOT valid TOML") }
    }

    private func sandboxTypes(in text: String) -> Set<String> {
        var types = Set<String>()
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            guard let range = line.range(of: #"type\s*=\s*"(Sandbox[A-Za-z]*)""#, options: .regularExpression) else { continue }
            let quoted = line[range].split(separator: "\"")
            if quoted.count >= 2 { types.insert(String(quoted[1])) }
        }
        return types
    }

    @Test func configsNamingLuaSandboxesAreRefusedNamingTheType() throws {
        let loader = TestCatalog.loader(environment: Self.environment)
        var checked = 0
        for (url, text) in try configs() where !isTemplate(text) {
            let types = sandboxTypes(in: text)
            guard !types.isEmpty else { continue }
            checked += 1
            let result = loader.load(path: url.path)
            #expect(result.config == nil, "\(url.lastPathComponent) was accepted")
            #expect(result.exitStatus == 78)
            for type in types {
                #expect(result.errors.contains { $0.message.contains("type '\(type)' is a Heka plugin that Runnel does not implement") },
                        "\(url.lastPathComponent): no error names \(type): \(result.errors)")
            }
        }
        #expect(checked >= 4)
    }

    @Test func templatesGiveATOMLSyntaxErrorWithALineNumber() throws {
        let templates = try configs().filter { isTemplate($0.text) }
        #expect(templates.count == 2)
        for (url, text) in templates {
            let result = TestCatalog.loader(environment: Self.environment).load(path: url.path)
            let error = try #require(result.errors.first, "\(url.lastPathComponent) was accepted")
            #expect(error.message.contains("TOML syntax error"), "\(error)")
            #expect(error.file == url.path)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            try #require(error.line >= 1 && error.line <= lines.count)
            let line = lines[error.line - 1]
            #expect(line.contains("@") || line.contains("{{"), "line \(error.line) is not a placeholder: \(line)")
            #expect(error.column != nil)
        }
    }

    @Test func everyOtherConfigParsesAndEveryDiagnosticHasALocation() throws {
        for (url, text) in try configs() where !isTemplate(text) {
            let result = TestCatalog.loader(environment: Self.environment).load(path: url.path)
            #expect(!result.errors.contains { $0.message.contains("TOML syntax error") }, "\(url.lastPathComponent): \(result.errors)")
            for diagnostic in result.diagnostics where diagnostic.severity == .error {
                #expect(diagnostic.file == url.path)
                #expect(diagnostic.line >= 1, "\(diagnostic)")
                #expect(diagnostic.message.contains("(\(url.path):\(diagnostic.line))"), "\(diagnostic)")
            }
        }
    }
}
