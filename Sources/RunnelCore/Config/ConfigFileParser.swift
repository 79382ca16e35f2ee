/// One file through `%ENV` substitution and TOML parsing, cut into its top-level sections.
enum ConfigFileParser {
    struct Output {
        var sections: [ConfigSection] = []
        var diagnostics: [ConfigDiagnostic] = []
        /// Secret values substituted, by variable.
        var secrets: [String: String] = [:]
    }

    static func parse(_ file: ConfigSourceFile, fileIndex: Int, environment: [String: String]) -> Output {
        let substitution = EnvSubstitution(expanding: file.bytes, environment: environment)
        let locator = SourceLocator(file: file.name, original: file.bytes, substitutions: substitution.spans)
        var output = Output(secrets: substitution.secrets)
        var linesWithProblems = Set<Int>()
        for problem in substitution.problems {
            let location = locator.location(ofOriginalOffset: problem.originalOffset)
            linesWithProblems.insert(location.line)
            output.diagnostics.append(ConfigDiagnostic(.error, at: location, "\(location): \(problem.message)"))
        }

        let root: ConfigTable
        do {
            root = try TOML.parse(bytes: substitution.output, locator: locator)
        } catch {
            // A failed substitution often breaks the syntax of its line; that is reported already.
            if !linesWithProblems.contains(error.location.line) {
                output.diagnostics.append(syntaxDiagnostic(error, locator: locator))
            }
            return output
        }

        for entry in root.entries {
            let location = entry.value.location ?? entry.keyLocation ?? locator.location(ofParsedOffset: 0)
            switch entry.value.content {
            case .table(let table):
                output.sections.append(ConfigSection(name: entry.key, table: table, location: location, fileIndex: fileIndex))
            case .array(let elements) where !elements.isEmpty && elements.allSatisfy({ $0.tableValue != nil }):
                output.diagnostics.append(ConfigDiagnostic(.error, at: location, section: entry.key,
                    "[[\(entry.key)]] (\(location.fileAndLine)): a plugin section must be a single table [\(entry.key)], not an array of tables"))
            default:
                output.diagnostics.append(ConfigDiagnostic(.error, at: entry.keyLocation ?? location, key: entry.key,
                    "key '\(entry.key)' (\(location.fileAndLine)) is outside any section; global options go in [runnel], plugin options in their plugin's section"))
            }
        }
        return output
    }

    /// A syntax error, with its message withheld when it quotes substituted secret text.
    private static func syntaxDiagnostic(_ error: TOMLSyntaxError, locator: SourceLocator) -> ConfigDiagnostic {
        var message = error.message
        if let variable = error.quotedRange.flatMap({ locator.secretVariable(overlapping: $0) }) {
            message = "the value substituted for %ENV[\(variable)] breaks the TOML syntax here (the value is not shown)"
        }
        return ConfigDiagnostic(.error, at: error.location, "\(error.location): TOML syntax error: \(message)")
    }
}
