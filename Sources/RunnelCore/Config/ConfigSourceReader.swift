import Foundation

/// Reads a configuration path: one file, or every `*.toml` file of a directory in alphabetical
/// (bytewise) order. Subdirectories and other files are not read.
enum ConfigSourceReader {
    static func read(path: String) -> (files: [ConfigSourceFile], diagnostics: [ConfigDiagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return ([], [fileProblem(path, "configuration path '\(path)' does not exist")])
        }
        guard isDirectory.boolValue else {
            return readFile(path).map { ([$0], []) } ?? ([], [fileProblem(path, "cannot read configuration file '\(path)'")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            return ([], [fileProblem(path, "cannot list configuration directory '\(path)': \(error.localizedDescription)")])
        }
        var files: [ConfigSourceFile] = []
        var diagnostics: [ConfigDiagnostic] = []
        let tomlNames = names.filter { $0.hasSuffix(".toml") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in tomlNames {
            let filePath = path.hasSuffix("/") ? path + name : path + "/" + name
            var entryIsDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: filePath, isDirectory: &entryIsDirectory), !entryIsDirectory.boolValue else { continue }
            if let file = readFile(filePath) {
                files.append(file)
            } else {
                diagnostics.append(fileProblem(filePath, "cannot read configuration file '\(filePath)'"))
            }
        }
        if files.isEmpty && diagnostics.isEmpty {
            diagnostics.append(fileProblem(path, "configuration directory '\(path)' holds no *.toml files"))
        }
        return (files, diagnostics)
    }

    private static func readFile(_ path: String) -> ConfigSourceFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return ConfigSourceFile(name: path, bytes: [UInt8](data))
    }

    private static func fileProblem(_ path: String, _ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(severity: .error, file: path, line: 0, message: message)
    }
}
