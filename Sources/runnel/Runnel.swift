import ArgumentParser
import RunnelCore

@main
struct Runnel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runnel",
        abstract: "A Heka-style log and metrics pipeline for Docker and Marathon clusters.",
        version: RunnelVersion.current,
        subcommands: [
            AgentCommand.self,
            CheckCommand.self,
            DocsCommand.self,
            TapCommand.self,
            TailCommand.self,
            MatchCommand.self,
            CatCommand.self,
            InjectCommand.self,
            VersionCommand.self,
        ])
}
