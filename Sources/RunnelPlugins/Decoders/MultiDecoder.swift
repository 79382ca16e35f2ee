import RunnelCore

/// Runs a record through several decoders (Heka's MultiDecoder).
///
/// `firstWins` tries the subs in order and returns the first success. `all` chains them: each sub
/// decodes every message the previous stage produced, and a message a sub cannot decode passes on
/// unchanged (ProtobufDecoder, then a PayloadRegexDecoder on the payload it produced, say). Either
/// way the record fails only when no sub succeeded; the failure names each sub's reason when
/// `logSubErrors` is set (the input logs it), else only the last one.
public struct MultiDecoder: Decoder {
    public enum CascadeStrategy: String, Sendable, CaseIterable {
        case firstWins = "first-wins"
        case all
    }

    public let subs: [(name: String, decoder: any Decoder)]
    public let strategy: CascadeStrategy
    public let logSubErrors: Bool

    public init(subs: [(name: String, decoder: any Decoder)], strategy: CascadeStrategy, logSubErrors: Bool = false) {
        self.subs = subs
        self.strategy = strategy
        self.logSubErrors = logSubErrors
    }

    public func decode(_ message: Message) throws(DecodeFailure) -> [Message] {
        var failures: [(name: String, failure: DecodeFailure)] = []
        switch strategy {
        case .firstWins:
            for (name, decoder) in subs {
                do {
                    return try decoder.decode(message)
                } catch {
                    failures.append((name, error))
                }
            }
        case .all:
            var messages = [message]
            var anySucceeded = false
            for (name, decoder) in subs {
                var next: [Message] = []
                next.reserveCapacity(messages.count)
                for current in messages {
                    do {
                        next += try decoder.decode(current)
                        anySucceeded = true
                    } catch {
                        failures.append((name, error))
                        next.append(current)
                    }
                }
                messages = next
            }
            if anySucceeded { return messages }
        }
        throw failure(failures)
    }

    private func failure(_ failures: [(name: String, failure: DecodeFailure)]) -> DecodeFailure {
        guard logSubErrors else {
            let last = failures.last.map { " (last, '\($0.name)': \($0.failure.reason))" } ?? ""
            return DecodeFailure("no sub-decoder could decode the record\(last)")
        }
        let reasons = failures.map { "'\($0.name)': \($0.failure.reason)" }.joined(separator: "; ")
        return DecodeFailure("no sub-decoder could decode the record: \(reasons)")
    }

    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "MultiDecoder", category: .decoder,
            summary: "Runs a record through several decoders: the first that succeeds, or all of them in a chain.",
            options: [
                OptionSpec("subs", .array(.string), required: true, references: .decoder,
                           summary: "Decoder sections (or types usable without a section, such as ProtobufDecoder) to run, in order."),
                OptionSpec("cascade_strategy", .string, default: "first-wins",
                           allowed: CascadeStrategy.allCases.map { ConfigValue.string($0.rawValue) },
                           summary: "`first-wins` stops at the first sub that decodes the record; `all` chains every sub, each decoding what the previous produced (a message a sub cannot decode passes on unchanged)."),
                OptionSpec("log_sub_errors", .bool, default: false,
                           summary: "Name every sub's reason in the failure of a record no sub decoded (the input logs it), not only the last."),
            ],
            hekaCompatible: true)
    ) { config, context throws(PluginBuildError) in
        let names = config.strings("subs") ?? []
        guard !names.isEmpty else { throw PluginBuildError(key: "subs", "must name at least one decoder") }
        var subs: [(name: String, decoder: any Decoder)] = []
        for name in names {
            guard let decoder = context.decoders[name] else {
                throw PluginBuildError(key: "subs", "decoder '\(name)' is not available")
            }
            subs.append((name, decoder))
        }
        let strategy = CascadeStrategy(rawValue: config.string("cascade_strategy") ?? "first-wins") ?? .firstWins
        return .decoder(MultiDecoder(subs: subs, strategy: strategy, logSubErrors: config.bool("log_sub_errors") ?? false))
    }
}
