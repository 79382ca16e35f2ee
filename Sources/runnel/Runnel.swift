import ArgumentParser
import RunnelCore

@main
struct Runnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runnel",
        abstract: "A Heka-style log and metrics pipeline for Docker and Marathon clusters.",
        version: RunnelVersion.current,
        subcommands: [
            CheckCommand.self,
            MatchCommand.self,
            CatCommand.self,
            VersionCommand.self,
        ])
}
