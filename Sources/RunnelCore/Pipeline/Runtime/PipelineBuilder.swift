/// Builds every section of a validated configuration into a `PipelinePlan`, reporting every
/// section that cannot be built at once, each at its place in the files.
public enum PipelineBuilder {
    public static func build(_ config: RunnelConfig, registry: PluginRegistry, hostname: String)
        -> (plan: PipelinePlan?, errors: [ConfigDiagnostic])
    {
        let context = PluginBuildContext(global: config.global, hostname: hostname)
        var errors: [ConfigDiagnostic] = []
        var built: [String: BuiltPlugin] = [:]
        /// Sections that could not be built, their error already reported.
        var failed = Set<String>()
        /// Decoder sections being built while the decoders they name are built first.
        var inProgress: [String] = []

        func buildSection(_ section: PluginInstanceConfig) -> BuiltPlugin? {
            if let plugin = built[section.name] { return plugin }
            if failed.contains(section.name) { return nil }
            guard let registration = registry.registration(for: section.typeName) else {
                errors.append(diagnostic(section, key: "type", "plugin type '\(section.typeName)' is not built into this runnel"))
                failed.insert(section.name)
                return nil
            }
            var sectionContext = context
            if section.category == .decoder {
                // A decoder naming other decoders (MultiDecoder's subs) gets them built first.
                inProgress.append(section.name)
                defer { inProgress.removeLast() }
                var resolved = true
                for (key, name) in decoderReferences(section, registration.schema) {
                    if inProgress.contains(name) {
                        let cycle = (inProgress.drop { $0 != name } + [name]).joined(separator: " → ")
                        errors.append(diagnostic(section, key: key, "decoders name each other in a cycle: \(cycle)"))
                        resolved = false
                    } else if case .decoder(let decoder)? = lookup(name, from: section, key: key) {
                        sectionContext.decoders[name] = decoder
                    } else {
                        if built[name] != nil { errors.append(diagnostic(section, key: key, "'\(name)' is not a decoder")) }
                        resolved = false
                    }
                }
                guard resolved else {
                    failed.insert(section.name)
                    return nil
                }
            }
            do {
                let plugin = try registration.build(section, sectionContext)
                built[section.name] = plugin
                return plugin
            } catch {
                errors.append(diagnostic(section, key: error.key, error.message))
                failed.insert(section.name)
                return nil
            }
        }

        /// A section by name, or a type used without a section (Heka's implicit default plugins).
        func lookup(_ name: String, from section: PluginInstanceConfig, key: String) -> BuiltPlugin? {
            if let plugin = built[name] { return plugin }
            if let target = config.plugin(named: name) { return buildSection(target) }  // a failure is reported there
            guard let registration = registry.registration(for: name) else {
                errors.append(diagnostic(section, key: key, "no section or plugin type named '\(name)'"))
                return nil
            }
            let implicit = PluginInstanceConfig(name: name, typeName: name, category: registration.schema.category,
                                                options: defaults(of: registration.schema), location: section.location)
            do {
                let plugin = try registration.build(implicit, context)
                built[name] = plugin
                return plugin
            } catch {
                errors.append(diagnostic(section, key: key, "building '\(name)': \(error)"))
                return nil
            }
        }

        for section in config.plugins { _ = buildSection(section) }

        var plan = PipelinePlan()
        let limits = SplitterLimits(maxRecordSize: config.global.maxMessageSize)
        for section in config.plugins {
            guard let plugin = built[section.name] else { continue }
            switch plugin {
            case .input(let input):
                var splitter: SplitterFactory?
                if let name = section.string("splitter") {
                    if case .splitter(let factory)? = lookup(name, from: section, key: "splitter") { splitter = factory }
                    else if built[name] != nil { errors.append(diagnostic(section, key: "splitter", "'\(name)' is not a splitter")) }
                }
                var decoder: (any Decoder)?
                if let name = section.string("decoder") {
                    if case .decoder(let found)? = lookup(name, from: section, key: "decoder") { decoder = found }
                    else if built[name] != nil { errors.append(diagnostic(section, key: "decoder", "'\(name)' is not a decoder")) }
                }
                if splitter == nil, let provider = input as? any DefaultSplitterProviding {
                    splitter = provider.defaultSplitter(limits: limits)
                }
                let lineSplitter: SplitterFactory = { offset in TokenSplitter(limits: limits, startOffset: offset) }
                let inputDependencies = ["splitter", "decoder"].compactMap { section.string($0).flatMap(config.plugin(named:)) }
                plan.inputs.append(.init(config: section, dependencies: inputDependencies, plugin: input,
                                         splitter: splitter ?? lineSplitter, decoder: decoder,
                                         sendDecodeFailures: section.bool("send_decode_failures") ?? false,
                                         canExit: section.bool("can_exit") ?? false, retries: retries(section)))
            case .filter(let filter):
                guard let matcher = matcher(section, errors: &errors) else { continue }
                plan.filters.append(.init(config: section, plugin: filter, matcher: matcher,
                                          tickerInterval: section.duration("ticker_interval"),
                                          canExit: section.bool("can_exit") ?? false, retries: retries(section),
                                          queue: queueSettings(section), buffering: DiskQueueSettings(section: section)))
            case .output(let output):
                guard let matcher = matcher(section, errors: &errors) else { continue }
                var encoder: (any Encoder)?
                if let name = section.string("encoder") {
                    if case .encoder(let found)? = lookup(name, from: section, key: "encoder") { encoder = found }
                    else if built[name] != nil { errors.append(diagnostic(section, key: "encoder", "'\(name)' is not an encoder")) }
                }
                let outputDependencies = section.string("encoder").flatMap(config.plugin(named:)).map { [$0] } ?? []
                plan.outputs.append(.init(config: section, dependencies: outputDependencies, plugin: output,
                                          matcher: matcher, encoder: encoder,
                                          useFraming: section.bool("use_framing") ?? false,
                                          canExit: section.bool("can_exit") ?? false, retries: retries(section),
                                          queue: queueSettings(section), buffering: DiskQueueSettings(section: section)))
            case .splitter, .decoder, .encoder:
                break
            }
        }
        return (errors.isEmpty ? plan : nil, errors)
    }

    /// The decoder names a section's options give where the schema says they name decoders, with
    /// the option each comes from.
    static func decoderReferences(_ section: PluginInstanceConfig, _ schema: PluginSchema) -> [(key: String, name: String)] {
        var references: [(String, String)] = []
        for option in schema.effectiveOptions where option.references == .decoder {
            if let name = section.string(option.name) { references.append((option.name, name)) }
            for name in section.strings(option.name) ?? [] { references.append((option.name, name)) }
        }
        return references
    }

    static func matcher(_ section: PluginInstanceConfig, errors: inout [ConfigDiagnostic]) -> MessageMatcher? {
        let expression = section.string("message_matcher") ?? "TRUE"
        do {
            return try MessageMatcher(expression)
        } catch {
            errors.append(diagnostic(section, key: "message_matcher", error.description))
            return nil
        }
    }

    static func queueSettings(_ section: PluginInstanceConfig) -> PipelinePlan.QueueSettings {
        PipelinePlan.QueueSettings(capacityBytes: section.byteSize("queue_bytes"),
                                   policy: QueueFullPolicy(rawValue: section.string("queue_full_action") ?? "block") ?? .block)
    }

    static func retries(_ section: PluginInstanceConfig) -> RetryPolicy {
        var policy = RetryPolicy.heka
        if let delay = section.duration("retries.delay") { policy.delay = delay }
        if let maxDelay = section.duration("retries.max_delay") { policy.maxDelay = maxDelay }
        if let maxJitter = section.duration("retries.max_jitter") { policy.maxJitter = maxJitter }
        if let maxRetries = section.integer("retries.max_retries") { policy.maxRetries = maxRetries }
        return policy
    }

    static func defaults(of schema: PluginSchema) -> [String: ConfigValue] {
        var options: [String: ConfigValue] = [:]
        for option in schema.effectiveOptions {
            if let value = option.defaultValue { options[option.name] = value }
        }
        return options
    }

    /// `option 'file_match' in [logs] (plugins.toml:7): invalid regex …`, at the option's line.
    static func diagnostic(_ section: PluginInstanceConfig, key: String?, _ message: String) -> ConfigDiagnostic {
        let location = key.flatMap { section[$0]?.location } ?? section.location
        let subject = key.map { "option '\($0)' in [\(section.name)]" } ?? "[\(section.name)]"
        return ConfigDiagnostic(severity: .error, file: location.file, line: location.line, column: location.column,
                                section: section.name, key: key,
                                message: "\(subject) (\(location.fileAndLine)): \(message)")
    }
}
