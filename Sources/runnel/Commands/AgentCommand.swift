import ArgumentParser
import Dispatch
import Foundation
import Logging
import RunnelCore
import Synchronization

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the pipeline described by a configuration.",
        discussion: """
            Runs until SIGTERM or SIGINT (then stops the inputs, drains the queues, waits for the outputs \
            to confirm up to shutdown_timeout, saves checkpoints and exits 0), or until every input \
            finished. A configuration error exits 78 before anything starts.
            """)

    @Option(name: [.short, .customLong("config")], help: "A plugins.toml file, or a directory of *.toml files merged alphabetically.")
    var config: String = "plugins.toml"

    @Option(help: "Log level of Runnel's own log on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "runnel")
        guard let loaded = AgentSetup.load(config, logger: logger) else { throw ExitStatus.config }

        let agent: Agent
        do {
            agent = try Agent(plan: loaded.plan, global: loaded.config.global, hostname: loaded.hostname, logger: logger)
        } catch {
            logger.critical("cannot prepare the state folder", metadata: ["base_dir": "\(loaded.config.global.baseDir)", "error": "\(error)"])
            throw ExitCode(73)  // EX_CANTCREAT
        }
        // Handlers first: once admin.addr exists, tools may rely on SIGTERM draining the agent.
        let reloader = Reloader(agent: agent, configPath: config, logger: logger)
        let signals = SignalHandlers(logger: logger, onReload: { Task { await reloader.reload() } }) {
            agent.requestShutdown()
        }
        let admin = try await AdminEndpoint.start(agent: agent, address: loaded.config.global.adminAddress, logger: logger)
        logger.info("runnel started", metadata: [
            "version": "\(RunnelVersion.current)", "config": "\(config)",
            "inputs": "\(loaded.plan.inputs.count)", "filters": "\(loaded.plan.filters.count)",
            "outputs": "\(loaded.plan.outputs.count)", "admin": "\(admin?.address ?? "off")",
        ])
        let exit = await agent.run()
        signals.cancel()
        await admin?.stop()
        switch exit {
        case .completed:
            logger.info("runnel stopped")
        case .pluginFailed(let plugin, let error):
            logger.critical("runnel stopped: a plugin that may not exit failed", metadata: ["plugin": "\(plugin)", "error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

/// Loading and building a configuration, shared by `agent` and `check`.
enum AgentSetup {
    struct Loaded {
        var config: RunnelConfig
        var plan: PipelinePlan
        var hostname: String
        var warnings: [ConfigDiagnostic]
    }

    /// Loads, validates and builds; reports every diagnostic on stderr. Nil on any error.
    static func load(_ path: String, logger: Logger?) -> Loaded? {
        let loader = ConfigLoader(
            catalog: RunnelCatalog.registry.catalog,
            environment: ProcessInfo.processInfo.environment,
            matcherValidator: RunnelCatalog.validateMatcher)
        let result = loader.load(path: path)
        for diagnostic in result.diagnostics { Diagnostics.report(diagnostic.description) }
        guard let config = result.config, result.errors.isEmpty else {
            Diagnostics.report("\(path): \(result.errors.count) error(s), \(result.warnings.count) warning(s)")
            return nil
        }
        let hostname = config.global.hostname ?? ProcessInfo.processInfo.hostName
        let (plan, buildErrors) = PipelineBuilder.build(config, registry: RunnelCatalog.registry, hostname: hostname)
        for diagnostic in buildErrors { Diagnostics.report(diagnostic.description) }
        guard let plan, buildErrors.isEmpty else {
            Diagnostics.report("\(path): \(buildErrors.count) error(s), \(result.warnings.count) warning(s)")
            return nil
        }
        return Loaded(config: config, plan: plan, hostname: hostname, warnings: result.warnings)
    }
}

/// Applies SIGHUP reloads one at a time: a new configuration is loaded and built completely before
/// anything changes; a bad one is reported and the running configuration stays.
actor Reloader {
    let agent: Agent
    let configPath: String
    let logger: Logger

    init(agent: Agent, configPath: String, logger: Logger) {
        self.agent = agent
        self.configPath = configPath
        self.logger = logger
    }

    func reload() async {
        logger.info("SIGHUP: reloading configuration", metadata: ["config": "\(configPath)"])
        guard let loaded = AgentSetup.load(configPath, logger: logger) else {
            logger.error("new configuration rejected (errors above); the running configuration stays")
            return
        }
        _ = await agent.reload(plan: loaded.plan, global: loaded.config.global)
    }
}

/// SIGTERM and SIGINT ask for a graceful shutdown (a second one exits at once); SIGHUP reloads.
final class SignalHandlers {
    private let sources: [any DispatchSourceSignal]

    init(logger: Logger, onReload: @escaping @Sendable () -> Void, onShutdown: @escaping @Sendable () -> Void) {
        var sources: [any DispatchSourceSignal] = []
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler(handler: onReload)
        hangup.resume()
        sources.append(hangup)
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let count = SignalCount()
            source.setEventHandler {
                if count.increment() > 1 {
                    logger.warning("second signal: exiting without draining")
                    exit(130)
                }
                logger.info("signal received: shutting down", metadata: ["signal": "\(signalNumber)"])
                onShutdown()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

private final class SignalCount: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}
