import RunnelCore

extension LogstreamerInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "LogstreamerInput", category: .input,
            summary: "Follows the files under a folder whose relative paths match a regex, through rename rotation and truncation, checkpointing only confirmed lines.",
            options: [
                OptionSpec("log_directory", .string, required: true, summary: "The folder to watch (searched recursively)."),
                OptionSpec("file_match", .string, required: true,
                           summary: "Regex (PCRE2) over each file's path relative to `log_directory`; it must match the whole path."),
                OptionSpec("rescan_interval", .any, default: 5000,
                           summary: "How often the folder is searched for new files: milliseconds as an integer (Heka's unit), or a duration string such as \"5s\"."),
                OptionSpec("check_data_interval", .duration, default: "250ms",
                           summary: "The longest wait between checks of idle files for new data (busy files are read continuously)."),
                OptionSpec("glob_pattern", .string,
                           ignoredBecause: "it only narrowed Heka's directory walk; Runnel walks log_directory and filters with file_match",
                           summary: "Heka's filesystem glob to speed up scanning."),
                OptionSpec("oldest_duration", .duration, default: "720h", summary: "Files not modified for longer are not opened."),
                OptionSpec("initial_tail", .bool, default: false,
                           summary: "Start files never seen before at their end instead of their beginning."),
                OptionSpec("hostname", .string, summary: "Host name put in the messages; defaults to the agent's."),
                OptionSpec("journal_directory", .string,
                           ignoredBecause: "Runnel keeps checkpoints under `[runnel] base_dir`/checkpoints",
                           summary: "Heka's checkpoint folder."),
                OptionSpec("priority", .array(.string),
                           ignoredBecause: "Runnel follows each file as its own stream and finishes rotated files by inode, so it needs no sequence ordering",
                           summary: "Heka's ordering of a rotated file sequence."),
                OptionSpec("differentiator", .array(.string),
                           ignoredBecause: "each file is its own stream, named by its relative path",
                           summary: "Heka's stream naming from regex captures."),
                OptionSpec("translation", .any, ignoredBecause: "it served Heka's priority ordering", summary: "Heka's priority value mapping."),
                OptionSpec("parser_type", .string,
                           ignoredBecause: "Heka 0.9's record parser; set `splitter` to a TokenSplitter or RegexSplitter section instead",
                           summary: "Heka 0.9's `token` or `regexp` record parser."),
                OptionSpec("delimiter", .string,
                           ignoredBecause: "Heka 0.9's parser delimiter; it belongs to the splitter section now",
                           summary: "Heka 0.9's record delimiter."),
                OptionSpec("delimiter_location", .string,
                           ignoredBecause: "Heka 0.9's parser option; RegexSplitter's `delimiter_eol` replaces it",
                           summary: "Heka 0.9's `start` or `end` of the delimiter."),
            ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        guard let directory = config.string("log_directory") else { throw PluginBuildError(key: "log_directory", "is required") }
        guard let pattern = config.string("file_match") else { throw PluginBuildError(key: "file_match", "is required") }
        let regex: RegexPattern
        do {
            regex = try RegexPattern("^(?:" + pattern + ")$")
        } catch {
            throw PluginBuildError(key: "file_match", "invalid regex: \(error)")
        }
        var options = LogstreamerInput.Options(logDirectory: directory) { path in regex.matches(Array(path.utf8)) }
        if let rescan = config["rescan_interval"] {
            if let milliseconds = rescan.integerValue {
                guard milliseconds > 0 else { throw PluginBuildError(key: "rescan_interval", "must be positive") }
                options.rescanInterval = .milliseconds(milliseconds)
            } else if let duration = rescan.durationValue, duration > .zero {
                options.rescanInterval = duration
            } else {
                throw PluginBuildError(key: "rescan_interval", "must be milliseconds (an integer) or a duration such as \"5s\"")
            }
        }
        if let check = config.duration("check_data_interval") { options.maxIdleWait = max(check, .milliseconds(1)) }
        if let oldest = config.duration("oldest_duration") { options.oldestDuration = oldest }
        options.initialTail = config.bool("initial_tail") ?? false
        options.hostname = config.string("hostname")
        return .input(LogstreamerInput(options: options))
    }
}
