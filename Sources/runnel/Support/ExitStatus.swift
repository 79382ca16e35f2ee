import ArgumentParser

/// Exit statuses shared by the subcommands (DESIGN §8).
enum ExitStatus {
    /// `match`: nothing matched.
    static let noMatch = ExitCode(1)
    /// A bad expression or unreadable input.
    static let usage = ExitCode(2)
    /// A configuration error (sysexits' EX_CONFIG).
    static let config = ExitCode(78)
}
