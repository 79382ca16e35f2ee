/// Merges the sections of all files: a section defined in two files is an error naming both
/// places (Heka let the later file win silently), and so is having both `[runnel]` and `[hekad]`.
enum SectionMerger {
    struct Output {
        var global: ConfigSection?
        var plugins: [ConfigSection] = []
        var diagnostics: [ConfigDiagnostic] = []
    }

    /// `sections` must be in merge order (file, then line).
    static func merge(_ sections: [ConfigSection]) -> Output {
        var output = Output()
        var firstByName: [String: ConfigSection] = [:]
        for section in sections {
            if let first = firstByName[section.name] {
                output.diagnostics.append(ConfigDiagnostic(.error, at: section.location, section: section.name,
                    "section [\(section.name)] is defined twice: at \(first.location.fileAndLine) and at \(section.location.fileAndLine)"))
                continue
            }
            firstByName[section.name] = section
            guard GlobalOptions.sectionNames.contains(section.name) else {
                output.plugins.append(section)
                continue
            }
            if let global = output.global {
                output.diagnostics.append(ConfigDiagnostic(.error, at: section.location, section: section.name,
                    "[\(section.name)] (\(section.location.fileAndLine)) and [\(global.name)] (\(global.location.fileAndLine)) both hold the global options; keep one of them ([runnel] is Runnel's name, [hekad] Heka's)"))
            } else {
                output.global = section
            }
        }
        return output
    }
}
