import ArgumentParser
import Foundation
import RunnelCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a configuration without starting anything.",
        discussion: """
            Reports every error and warning at once, each with its file, line, section and key. \
            Exit status: 0 when the configuration is valid, 78 (EX_CONFIG) when it has any error.
            """)

    @Option(name: [.short, .customLong("config")], help: "A plugins.toml file, or a directory of *.toml files merged alphabetically.")
    var config: String = "plugins.toml"

    @Flag(help: "Print only errors and warnings, no summary.")
    var quiet = false

    func run() throws {
        let loader = ConfigLoader(
            catalog: RunnelCatalog.plugins,
            environment: ProcessInfo.processInfo.environment,
            matcherValidator: RunnelCatalog.validateMatcher)
        let result = loader.load(path: config)
        for diagnostic in result.diagnostics {
            Diagnostics.report(diagnostic.description)
        }
        guard let loaded = result.config, result.errors.isEmpty else {
            Diagnostics.report("\(config): \(result.errors.count) error(s), \(result.warnings.count) warning(s)")
            throw ExitStatus.config
        }
        if !quiet {
            let counts = PluginCategory.allCases.compactMap { category -> String? in
                let count = loaded.plugins.filter { $0.category == category }.count
                return count == 0 ? nil : "\(count) \(category.rawValue)\(count == 1 ? "" : "s")"
            }
            let summary = counts.isEmpty ? "no plugins" : counts.joined(separator: ", ")
            print("\(config): OK (\(summary); \(result.warnings.count) warning(s))")
        }
    }
}
