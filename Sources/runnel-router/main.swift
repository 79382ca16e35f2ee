import Dispatch
import Foundation
import RunnelCore
import RunnelRouter

// runnel-router: `check -c FILE` validates; `run -c FILE` (the default) serves until SIGTERM or
// SIGINT and reloads the file on SIGHUP.

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: runnel-router [run|check] -c router.toml\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var command = "run"
if let first = arguments.first, !first.hasPrefix("-") {
    command = first
    arguments.removeFirst()
}
guard arguments.count == 2, arguments[0] == "-c" || arguments[0] == "--config", ["run", "check"].contains(command) else { usage() }
let configPath = arguments[1]

func loadConfig() -> RouterConfig? {
    let result = RouterConfigLoader().load(path: configPath)
    for diagnostic in result.diagnostics {
        FileHandle.standardError.write(Data("\(diagnostic.description)\n".utf8))
    }
    return result.config
}

guard let config = loadConfig() else { exit(78) }
if command == "check" {
    print("\(configPath): ok (\(config.listeners.count) listeners, \(config.upstreams.count) static upstreams)")
    exit(0)
}

signal(SIGPIPE, SIG_IGN)

let server: RouterServer
do {
    server = try await RouterServer.start(config)
} catch {
    FileHandle.standardError.write(Data("runnel-router: cannot start: \(error)\n".utf8))
    exit(1)
}
let ports = server.listenerPorts.map(String.init).joined(separator: ",")
FileHandle.standardError.write(Data("runnel-router: listening on ports [\(ports)], admin port \(server.adminPort)\n".utf8))

// The sources stay referenced for the life of the process: a released source stops delivering.
let (signals, signalSources) = SignalStream.make([SIGHUP, SIGTERM, SIGINT])

for await number in signals where !signalSources.isEmpty {
    if number == SIGHUP {
        guard let newConfig = loadConfig() else {
            FileHandle.standardError.write(Data("runnel-router: SIGHUP: configuration has errors, keeping the running one\n".utf8))
            continue
        }
        do {
            try await server.reload(newConfig)
            FileHandle.standardError.write(Data("runnel-router: reloaded \(configPath)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("runnel-router: reload failed: \(error)\n".utf8))
        }
        continue
    }
    await server.stop()
    exit(0)
}
