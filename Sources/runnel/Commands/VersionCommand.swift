import ArgumentParser
import RunnelCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Runnel's version.")

    func run() {
        print("runnel \(RunnelVersion.current)")
    }
}
