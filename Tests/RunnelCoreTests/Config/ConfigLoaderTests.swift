import Foundation
import Testing
@testable import RunnelCore

@Suite struct ConfigLoaderTests {
    /// A fresh temporary directory holding `files`, removed by the caller.
    private func directory(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "runnel-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        return path
    }

    private let input = "[in]\ntype = \"TcpInput\"\naddress = \":5565\"\ndecoder = \"pb\"\n"
    private let decoder = "[pb]\ntype = \"ProtobufDecoder\"\n"
    private let output = "[out]\ntype = \"FileOutput\"\npath = \"/tmp/o\"\nmessage_matcher = \"TRUE\"\n"

    @Test func directoryFilesMergeInAlphabeticalOrder() throws {
        let path = try directory(["20-out.toml": output, "10-in.toml": input, "15-decoders.toml": decoder,
                                  "notes.txt": "not toml [", "00-global.toml": "[runnel]\nbase_dir = \"/srv/runnel\"\n"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path + "/sub.toml", withIntermediateDirectories: true)
        let result = TestCatalog.loader().load(path: path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.plugins.map(\.name) == ["in", "pb", "out"])
        #expect(config.sources == ["00-global.toml", "10-in.toml", "15-decoders.toml", "20-out.toml"].map { path + "/" + $0 })
        #expect(config.global.baseDir == "/srv/runnel")
        #expect(config.plugin(named: "out")?.location.file == path + "/20-out.toml")
    }

    @Test func sectionDefinedInTwoFilesNamesBothPlaces() throws {
        let path = try directory(["a.toml": output, "b.toml": "\n\n" + output])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = TestCatalog.loader().load(path: path)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.message == "section [out] is defined twice: at \(path)/a.toml:1 and at \(path)/b.toml:3")
        #expect((error.file, error.line, error.section) == (path + "/b.toml", 3, "out"))
    }

    @Test func referencesResolveAcrossFiles() throws {
        let path = try directory(["a.toml": input, "b.toml": "[pb2]\ntype = \"ProtobufDecoder\"\n"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = TestCatalog.loader().load(path: path)
        #expect(result.errors.map(\.description) == [
            "error: option 'decoder' in [in] (\(path)/a.toml:4) names 'pb', which is not a defined decoder; did you mean 'pb2'?",
        ])
    }

    @Test func syntaxErrorsInSeveralFilesAreAllReported() throws {
        let path = try directory(["a.toml": "[x\n", "b.toml": "ok = \n", "c.toml": output])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = TestCatalog.loader().load(path: path)
        #expect(result.errors.map { "\($0.file):\($0.line):\($0.column ?? 0)" } == ["\(path)/a.toml:1:3", "\(path)/b.toml:1:6"])
        #expect(result.errors.allSatisfy { $0.message.contains("TOML syntax error") })
    }

    @Test func singleFileAndMissingPaths() throws {
        let path = try directory(["plugins.toml": output, "empty/.keep": ""].filter { !$0.key.contains("/") })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let single = TestCatalog.loader().load(path: path + "/plugins.toml")
        #expect(single.config?.sources == [path + "/plugins.toml"])
        let missing = TestCatalog.loader().load(path: path + "/nope.toml")
        #expect(missing.errors.map(\.message) == ["configuration path '\(path)/nope.toml' does not exist"])
        #expect(missing.errors.first?.line == 0)
        try FileManager.default.createDirectory(atPath: path + "/empty", withIntermediateDirectories: true)
        let empty = TestCatalog.loader().load(path: path + "/empty")
        #expect(empty.errors.map(\.message) == ["configuration directory '\(path)/empty' holds no *.toml files"])
        #expect(empty.exitStatus == 78)
    }

    @Test func hekadIsAnAliasOfRunnel() throws {
        let result = TestCatalog.load("""
        [hekad]
        maxprocs = 4
        base_dir = "/var/cache/hekad"
        max_message_size = 1048576
        share_dir = "/usr/share/heka"
        """ + "\n" + output)
        let config = try #require(result.config)
        #expect(config.global.baseDir == "/var/cache/hekad")
        #expect(config.global.maxMessageSize == 1_048_576)
        #expect(config.global.location == FileLocation(file: "plugins.toml", line: 1, column: 1))
        #expect(result.warnings.map(\.description) == [
            "warning: option 'maxprocs' in [hekad] (plugins.toml:2) is ignored: it sets Go's GOMAXPROCS; Runnel sizes its own thread pool",
            "warning: option 'share_dir' in [hekad] (plugins.toml:5) is ignored: it held Lua modules and dashboard files for Heka's sandboxes, which Runnel does not use",
        ])
    }

    @Test func runnelAndHekadTogetherIsAnError() throws {
        let path = try directory(["a.toml": "[hekad]\nmaxprocs = 1\n", "b.toml": "[runnel]\nbase_dir = \"/x\"\n" + output])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = TestCatalog.loader().load(path: path)
        #expect(result.errors.map(\.message) == [
            "[runnel] (\(path)/b.toml:1) and [hekad] (\(path)/a.toml:1) both hold the global options; keep one of them ([runnel] is Runnel's name, [hekad] Heka's)",
        ])
        #expect(result.config == nil)
    }

    @Test func globalOptionsDefaultsAndValues() throws {
        let defaults = try #require(TestCatalog.load(output).config).global
        #expect(defaults == GlobalOptions())
        #expect(defaults.adminAddress == "127.0.0.1:4352")
        #expect(defaults.maxMessageSize == 65_536)
        #expect(defaults.hostname == nil)
        let global = try #require(TestCatalog.load("""
        [runnel]
        hostname = "node-7"
        admin_address = "0.0.0.0:9000"
        max_message_loops = 2
        input_queue_bytes = "1MiB"
        plugin_queue_bytes = 123456
        shutdown_timeout = "1m30s"
        """ + "\n" + output).config).global
        #expect(global.hostname == "node-7")
        #expect(global.adminAddress == "0.0.0.0:9000")
        #expect(global.maxMessageLoops == 2)
        #expect(global.inputQueueBytes == 1_048_576)
        #expect(global.pluginQueueBytes == 123_456)
        #expect(global.shutdownTimeout == .seconds(90))
    }

    @Test func topLevelKeysAndArraysOfTablesAreRefused() {
        let result = TestCatalog.load("maxprocs = 4\n[[out]]\ntype = \"FileOutput\"\n")
        #expect(result.errors.map(\.message) == [
            "key 'maxprocs' (plugins.toml:1) is outside any section; global options go in [runnel], plugin options in their plugin's section",
            "[[out]] (plugins.toml:2): a plugin section must be a single table [out], not an array of tables",
        ])
    }

    @Test func configWithoutPluginsIsValidButWarned() {
        let result = TestCatalog.load("[runnel]\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.message) == ["the configuration defines no plugin sections; the agent would do nothing"])
        #expect(result.config?.plugins.isEmpty == true)
    }

    @Test func sectionOpenedBySubTableFirstIsOneSection() throws {
        let config = try #require(TestCatalog.load("""
        [in.tls]
        cert_file = "c.pem"
        [in]
        type = "TcpInput"
        address = ":1"
        """).config)
        let input = try #require(config.plugin(named: "in"))
        #expect(input.string("tls.cert_file") == "c.pem")
        #expect(input.location.line == 3)
    }

    @Test func quotedSectionNamesWork() throws {
        let config = try #require(TestCatalog.load("[\"tcp:5565\"]\ntype = \"TcpInput\"\naddress = \":5565\"\n").config)
        #expect(config.plugins.map(\.name) == ["tcp:5565"])
    }
}
