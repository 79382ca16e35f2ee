/// Validates each section: the global one against `GlobalOptions.schema`, plugin ones by
/// resolving their type (catalog, Heka's list, category suffix) and checking their options.
struct SectionValidator {
    let catalog: PluginCatalog
    let matcherValidator: ConfigLoader.MatcherValidator?
    private(set) var diagnostics: [ConfigDiagnostic] = []
    private(set) var references: [OptionReference] = []
    /// Every plugin section by name, with its category when the type has a known suffix.
    private(set) var definitions: [String: PluginCategory?] = [:]

    init(catalog: PluginCatalog, matcherValidator: ConfigLoader.MatcherValidator?) {
        self.catalog = catalog
        self.matcherValidator = matcherValidator
    }

    mutating func validateGlobal(_ section: ConfigSection) -> GlobalOptions {
        let table = validateOptions(section, specs: GlobalOptions.schema)
        return GlobalOptions(validated: table, location: section.location)
    }

    mutating func validatePlugin(_ section: ConfigSection) -> PluginInstanceConfig? {
        let name = section.name
        let typeValue = section.table["type"]
        let typeName: String
        if let typeValue {
            guard let text = typeValue.stringValue else {
                let location = typeValue.location ?? section.location
                report(at: location, section: name, key: "type",
                       "option 'type' in \(OptionValidator.place(name, location)) must be a string, found \(typeValue.kindDescription)")
                definitions[name] = .some(nil)
                return nil
            }
            typeName = text
        } else {
            typeName = name
        }
        let typeLocation = typeValue?.location ?? section.location
        let place = OptionValidator.place(name, typeLocation)
        let shownType = typeValue?.messageText ?? "'\(typeName)'"
        let category = PluginCategory(typeName: typeName)
        definitions[name] = category

        guard let category else {
            let problem = typeValue == nil
                ? "\(place): the section has no 'type' and its name is not a plugin type; plugin types end in \(PluginCategory.suffixList)"
                : "\(place): type \(shownType) is not a plugin type; plugin types end in \(PluginCategory.suffixList)"
            report(at: typeLocation, section: name, key: "type", problem, suggestion: typeSuggestion(typeName, typeValue))
            return nil
        }
        guard let schema = catalog.schema(for: typeName) else {
            if HekaPluginTypes.all.contains(typeName) {
                report(at: typeLocation, section: name, key: "type",
                       "\(place): type \(shownType) is a Heka plugin that Runnel does not implement",
                       suggestion: HekaPluginTypes.hint(for: typeName, catalog: catalog))
            } else {
                report(at: typeLocation, section: name, key: "type", "\(place): unknown plugin type \(shownType)",
                       suggestion: typeSuggestion(typeName, typeValue))
            }
            return nil
        }
        let options = validateOptions(section, specs: schema.effectiveOptions, ignoring: ["type"])
        return PluginInstanceConfig(name: name, typeName: typeName, category: category,
                                    options: options.dictionary, location: section.location)
    }

    private mutating func validateOptions(_ section: ConfigSection, specs: [OptionSpec], ignoring: Set<String> = []) -> ConfigTable {
        var validator = OptionValidator(section: section.name, matcherValidator: matcherValidator)
        let table = validator.validate(section.table, specs: specs, tableLocation: section.location, ignoring: ignoring)
        diagnostics += validator.diagnostics
        references += validator.references
        return table
    }

    private func typeSuggestion(_ typeName: String, _ typeValue: ConfigValue?) -> String? {
        guard typeValue?.secretVariable == nil else { return nil }
        return DidYouMean.suggestion(for: typeName, among: catalog.typeNames)
    }

    private mutating func report(at location: FileLocation, section: String, key: String?, _ message: String,
                                 suggestion: String? = nil) {
        diagnostics.append(ConfigDiagnostic(.error, at: location, section: section, key: key, message, suggestion: suggestion))
    }
}
