/// A value that names another plugin section, checked once every section is known.
struct OptionReference {
    var section: String
    var option: String
    var target: String
    var value: ConfigValue
    var category: PluginCategory
}

/// Checks a section's options against a schema: unknown names, value types, allowed values,
/// required options, matcher syntax. Returns the options under their canonical names with
/// defaults filled in; problems go to `diagnostics`.
struct OptionValidator {
    let section: String
    let matcherValidator: ConfigLoader.MatcherValidator?
    private(set) var diagnostics: [ConfigDiagnostic] = []
    private(set) var references: [OptionReference] = []

    init(section: String, matcherValidator: ConfigLoader.MatcherValidator?) {
        self.section = section
        self.matcherValidator = matcherValidator
    }

    /// `path` is the chain of sub-tables below the section (empty for the section itself).
    mutating func validate(_ table: ConfigTable, specs: [OptionSpec], path: [String] = [],
                           tableLocation: FileLocation, ignoring: Set<String> = []) -> ConfigTable {
        let sectionName = ([section] + path).joined(separator: ".")
        var specsByName: [String: OptionSpec] = [:]
        for spec in specs {
            for alias in spec.aliases where specsByName[alias] == nil { specsByName[alias] = spec }
            specsByName[spec.name] = spec
        }
        var result = ConfigTable()
        var seen = Set<String>()
        for entry in table.entries where !ignoring.contains(entry.key) {
            let keyLocation = entry.keyLocation ?? entry.value.location ?? tableLocation
            let place = Self.place(sectionName, keyLocation)
            guard let spec = specsByName[entry.key] else {
                report(.error, at: keyLocation, key: path + [entry.key], "unknown option '\(entry.key)' in \(place)",
                       suggestion: DidYouMean.suggestion(for: entry.key, among: specs.map(\.name)))
                continue
            }
            if spec.name != entry.key && table[spec.name] != nil {
                report(.error, at: keyLocation, key: path + [entry.key],
                       "option '\(entry.key)' in \(place) is another name for '\(spec.name)', which is set too; keep one")
                continue
            }
            seen.insert(spec.name)
            if let reason = spec.ignoredBecause {
                report(.warning, at: keyLocation, key: path + [entry.key], "option '\(entry.key)' in \(place) is ignored: \(reason)")
            }
            guard let value = checked(entry.value, as: spec.kind, option: entry.key, path: path, sectionName: sectionName,
                                      fallback: keyLocation) else { continue }
            guard isAllowed(value, spec: spec, option: entry.key, path: path, sectionName: sectionName, fallback: keyLocation) else {
                continue
            }
            if let category = spec.references { recordReferences(value, option: (path + [entry.key]).joined(separator: "."), category: category) }
            result.append(ConfigTable.Entry(key: spec.name, keyLocation: entry.keyLocation, value: value))
        }
        for spec in specs where !seen.contains(spec.name) {
            if spec.required {
                report(.error, at: tableLocation, key: path + [spec.name],
                       "missing required option '\(spec.name)' in \(Self.place(sectionName, tableLocation))")
            } else if let defaultValue = spec.defaultValue {
                result.append(ConfigTable.Entry(key: spec.name, value: defaultValue))
            } else if case .table(let subSpecs) = spec.kind, subSpecs.contains(where: { $0.defaultValue != nil }),
                      !subSpecs.contains(where: \.required) {
                let defaults = validate(ConfigTable(), specs: subSpecs, path: path + [spec.name], tableLocation: tableLocation)
                result.append(ConfigTable.Entry(key: spec.name, value: .table(defaults)))
            }
        }
        return result
    }

    /// The value if it has the kind, else nil after reporting why (sub-tables come back validated).
    private mutating func checked(_ value: ConfigValue, as kind: OptionKind, option: String, path: [String],
                                  sectionName: String, fallback: FileLocation) -> ConfigValue? {
        let location = value.location ?? fallback
        let place = Self.place(sectionName, location)
        func wrongType(_ detail: String? = nil) -> ConfigValue? {
            let found = detail ?? value.kindDescription
            report(.error, at: location, key: path + [option], "option '\(option)' in \(place) must be \(kind.phrase), found \(found)")
            return nil
        }
        func unreadable(_ error: ConfigUnitError) -> ConfigValue? {
            // A reason may quote the text, so a secret gets none.
            wrongType(value.secretVariable == nil ? "\(value.messageText) (\(error.reason))" : value.messageText)
        }
        switch kind {
        case .string:
            return value.stringValue != nil ? value : wrongType()
        case .integer:
            return value.integerValue != nil ? value : wrongType()
        case .double:
            return value.doubleValue != nil ? value : wrongType()
        case .bool:
            return value.boolValue != nil ? value : wrongType()
        case .duration:
            switch value.content {
            case .integer, .double, .string:
                if case .failure(let error) = value.durationResult { return unreadable(error) }
                return value
            default:
                return wrongType()
            }
        case .byteSize:
            switch value.content {
            case .integer, .string:
                if case .failure(let error) = value.byteSizeResult { return unreadable(error) }
                return value
            default:
                return wrongType()
            }
        case .array(let elementKind):
            guard let elements = value.arrayValue else { return wrongType() }
            var checkedElements: [ConfigValue] = []
            for (index, element) in elements.enumerated() {
                if let good = checked(element, as: elementKind, option: "\(option)[\(index)]", path: path,
                                      sectionName: sectionName, fallback: location) {
                    checkedElements.append(good)
                }
            }
            guard checkedElements.count == elements.count else { return nil }
            return ConfigValue(.array(checkedElements), location: value.location, secretVariable: value.secretVariable)
        case .stringMap:
            guard let table = value.tableValue else { return wrongType() }
            if let bad = table.entries.first(where: { $0.value.stringValue == nil }) {
                return wrongType("\(bad.value.kindDescription) for key '\(bad.key)'")
            }
            return value
        case .table(let specs):
            guard let table = value.tableValue else { return wrongType() }
            let validated = validate(table, specs: specs, path: path + [option], tableLocation: location)
            return ConfigValue(.table(validated), location: value.location)
        case .messageMatcher:
            guard let expression = value.stringValue else { return wrongType() }
            if let matcherValidator, let problem = matcherValidator(expression) {
                // The matcher's message may quote the expression, so a secret expression gets none.
                let detail = value.secretVariable == nil ? ": \(problem.message) (column \(problem.column) of the expression)" : ""
                report(.error, at: location, key: path + [option], "option '\(option)' in \(place) is not a valid message matcher\(detail)")
                return nil
            }
            return value
        case .any:
            return value
        }
    }

    private mutating func isAllowed(_ value: ConfigValue, spec: OptionSpec, option: String, path: [String],
                                    sectionName: String, fallback: FileLocation) -> Bool {
        guard let allowed = spec.allowedValues, !allowed.contains(value) else { return true }
        let location = value.location ?? fallback
        let choices = allowed.map(\.messageText).joined(separator: ", ")
        let suggestion = value.secretVariable == nil
            ? value.stringValue.flatMap { DidYouMean.suggestion(for: $0, among: allowed.compactMap(\.stringValue)) } : nil
        report(.error, at: location, key: path + [option],
               "option '\(option)' in \(Self.place(sectionName, location)) must be one of \(choices), found \(value.messageText)",
               suggestion: suggestion)
        return false
    }

    private mutating func recordReferences(_ value: ConfigValue, option: String, category: PluginCategory) {
        let named = value.arrayValue ?? [value]
        for element in named {
            guard let target = element.stringValue else { continue }
            references.append(OptionReference(section: section, option: option, target: target, value: element, category: category))
        }
    }

    private mutating func report(_ severity: ConfigDiagnostic.Severity, at location: FileLocation, key: [String],
                                 _ message: String, suggestion: String? = nil) {
        diagnostics.append(ConfigDiagnostic(severity, at: location, section: section, key: key.joined(separator: "."),
                                            message, suggestion: suggestion))
    }

    /// `[es] (plugins.toml:41)`.
    static func place(_ sectionName: String, _ location: FileLocation) -> String {
        "[\(sectionName)] (\(location.fileAndLine))"
    }
}
