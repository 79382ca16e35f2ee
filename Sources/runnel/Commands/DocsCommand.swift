import ArgumentParser
import RunnelCore

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Print the configuration reference (every plugin type and option) as Markdown.",
        discussion: "docs/plugins.md is this output: `runnel docs > docs/plugins.md`.")

    func run() {
        print(ConfigReferenceDocs.markdown(catalog: RunnelCatalog.registry.catalog), terminator: "")
    }
}
