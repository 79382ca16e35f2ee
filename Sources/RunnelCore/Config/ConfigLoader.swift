import Foundation

/// Loads and validates a Runnel configuration: a `plugins.toml` file or a directory of `*.toml`
/// files merged in alphabetical order. Every problem is reported in one pass.
public struct ConfigLoader: Sendable {
    /// Checks a message_matcher expression: nil when valid, else the 1-based column of the
    /// problem within the expression and a message.
    public typealias MatcherValidator = @Sendable (String) -> (column: Int, message: String)?

    public let catalog: PluginCatalog
    public let environment: [String: String]
    public let matcherValidator: MatcherValidator?

    public init(catalog: PluginCatalog, environment: [String: String] = ProcessInfo.processInfo.environment,
                matcherValidator: MatcherValidator? = nil) {
        self.catalog = catalog
        self.environment = environment
        self.matcherValidator = matcherValidator
    }

    /// Loads a file, or every `*.toml` file of a directory.
    public func load(path: String) -> ConfigLoadResult {
        let (files, problems) = ConfigSourceReader.read(path: path)
        var result = load(files: files)
        if !problems.isEmpty {
            result.diagnostics = problems + result.diagnostics
            result.config = nil
        }
        return result
    }

    /// Loads configuration text; `fileName` is used in messages.
    public func load(text: String, fileName: String) -> ConfigLoadResult {
        load(files: [ConfigSourceFile(name: fileName, bytes: Array(text.utf8))])
    }

    /// Loads files in the given (merge) order.
    func load(files: [ConfigSourceFile]) -> ConfigLoadResult {
        var diagnostics: [ConfigDiagnostic] = []
        var sections: [ConfigSection] = []
        var secrets: [String: String] = [:]
        for (index, file) in files.enumerated() {
            let parsed = ConfigFileParser.parse(file, fileIndex: index, environment: environment)
            diagnostics += parsed.diagnostics
            sections += parsed.sections
            secrets.merge(parsed.secrets) { first, _ in first }
        }
        sections.sort { ($0.fileIndex, $0.location.line, $0.location.column) < ($1.fileIndex, $1.location.line, $1.location.column) }
        let merged = SectionMerger.merge(sections)
        diagnostics += merged.diagnostics

        var validator = SectionValidator(catalog: catalog, matcherValidator: matcherValidator)
        let global = merged.global.map { validator.validateGlobal($0) } ?? GlobalOptions()
        let plugins = merged.plugins.compactMap { validator.validatePlugin($0) }
        diagnostics += validator.diagnostics
        diagnostics += ReferenceChecker.check(validator.references, definitions: validator.definitions, catalog: catalog)

        if merged.plugins.isEmpty, diagnostics.allSatisfy({ $0.severity != .error }), let first = files.first {
            diagnostics.append(ConfigDiagnostic(severity: .warning, file: first.name, line: 0,
                                                message: "the configuration defines no plugin sections; the agent would do nothing"))
        }
        diagnostics = SecretRedaction.redact(diagnostics, secrets: secrets)
        let fileOrder = Dictionary(files.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        diagnostics = diagnostics.enumerated().sorted { left, right in
            let leftKey = (fileOrder[left.element.file] ?? -1, left.element.line, left.element.column ?? 0, left.offset)
            let rightKey = (fileOrder[right.element.file] ?? -1, right.element.line, right.element.column ?? 0, right.offset)
            return leftKey < rightKey
        }.map(\.element)

        let hasErrors = diagnostics.contains { $0.severity == .error }
        let config = hasErrors ? nil : RunnelConfig(global: global, plugins: plugins, sources: files.map(\.name))
        return ConfigLoadResult(config: config, diagnostics: diagnostics)
    }
}

/// The outcome of loading: a configuration when there was no error, and every diagnostic in
/// file and line order.
public struct ConfigLoadResult: Sendable {
    /// nil when any diagnostic is an error.
    public var config: RunnelConfig?
    public var diagnostics: [ConfigDiagnostic]

    public init(config: RunnelConfig?, diagnostics: [ConfigDiagnostic]) {
        self.config = config
        self.diagnostics = diagnostics
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// 0 when the configuration is valid, 78 (EX_CONFIG) otherwise, as `runnel check` exits.
    public var exitStatus: Int32 { errors.isEmpty ? 0 : 78 }
}
