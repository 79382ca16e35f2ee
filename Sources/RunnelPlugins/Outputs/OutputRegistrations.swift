import RunnelCore

#if canImport(Glibc)
import Glibc
#endif

extension LogOutput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "LogOutput", category: .output,
            summary: "Writes each encoded message to standard output (PayloadEncoder when no encoder is set).",
            options: [], hekaCompatible: true)
    ) { _, _ throws(PluginBuildError) in .output(LogOutput()) }
}

extension FileOutput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "FileOutput", category: .output,
            summary: "Appends encoded messages to files; the path may interpolate `%{Type}`, `%{Fields[name]}` and `%{%Y.%m.%d}`.",
            options: [
                OptionSpec("path", .string, required: true,
                           summary: "File path; `%{…}` placeholders take message values (`/` in a value becomes `_`)."),
                OptionSpec("perm", .string, default: "644", summary: "Permissions of new files, in octal."),
                OptionSpec("folder_perm", .string, default: "700", summary: "Permissions of new folders, in octal."),
                OptionSpec("flush_interval", .integer, default: 1000, summary: "Milliseconds between writes when `flush_count` is not reached (Heka's unit)."),
                OptionSpec("flush_count", .integer, default: 1, summary: "Messages to accumulate before writing."),
                OptionSpec("flush_operator", .string, default: "AND", allowed: ["AND", "OR"],
                           summary: "Whether a write needs both `flush_count` and `flush_interval` (AND) or either (OR)."),
                OptionSpec("rotation_interval", .integer, default: 0, allowed: [0, 1, 4, 12, 24],
                           summary: "Hours per file when the path holds time codes: they render the period's start instead of each message's time. 0 = off."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        guard let pathText = config.string("path") else { throw PluginBuildError(key: "path", "is required") }
        let template: InterpolatedTemplate
        do {
            template = try InterpolatedTemplate(pathText, missing: "unknown")
        } catch let error as InterpolatedTemplate.SyntaxError {
            throw PluginBuildError(key: "path", error.description)
        } catch {
            throw PluginBuildError(key: "path", "\(error)")
        }
        var options = FileOutput.Options(path: template)
        guard let perm = mode_t(config.string("perm") ?? "644", radix: 8) else { throw PluginBuildError(key: "perm", "must be octal, e.g. \"644\"") }
        guard let folderPerm = mode_t(config.string("folder_perm") ?? "700", radix: 8) else { throw PluginBuildError(key: "folder_perm", "must be octal, e.g. \"700\"") }
        options.permissions = perm
        options.folderPermissions = folderPerm
        let interval = config.integer("flush_interval") ?? 1000
        guard interval >= 0 else { throw PluginBuildError(key: "flush_interval", "must not be negative") }
        options.flushInterval = .milliseconds(interval)
        options.flushCount = max(1, config.integer("flush_count") ?? 1)
        options.flushOperator = FileOutput.FlushOperator(rawValue: config.string("flush_operator") ?? "AND") ?? .and
        options.rotationIntervalHours = config.integer("rotation_interval") ?? 0
        return .output(FileOutput(options: options))
    }
}
