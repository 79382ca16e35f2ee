import ArgumentParser
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
        guard let loaded = AgentSetup.load(config, logger: nil) else { throw ExitStatus.config }
        if !quiet {
            let counts = PluginCategory.allCases.compactMap { category -> String? in
                let count = loaded.config.plugins.filter { $0.category == category }.count
                return count == 0 ? nil : "\(count) \(category.rawValue)\(count == 1 ? "" : "s")"
            }
            let summary = counts.isEmpty ? "no plugins" : counts.joined(separator: ", ")
            print("\(config): OK (\(summary); \(loaded.warnings.count) warning(s))")
        }
    }
}
