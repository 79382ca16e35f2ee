/// Checks that options naming other plugins (`decoder`, `splitter`, `encoder`, …) name a section
/// of the right category, or a type usable without a section.
enum ReferenceChecker {
    static func check(_ references: [OptionReference], definitions: [String: PluginCategory?],
                      catalog: PluginCatalog) -> [ConfigDiagnostic] {
        references.compactMap { check($0, definitions: definitions, catalog: catalog) }
    }

    private static func check(_ reference: OptionReference, definitions: [String: PluginCategory?],
                              catalog: PluginCatalog) -> ConfigDiagnostic? {
        let target = reference.target
        let wanted = reference.category
        if let defined = definitions[target] {
            guard let category = defined, category != wanted else { return nil }
            return problem(reference, "names [\(target)], which is \(category.withArticle), not \(wanted.withArticle)")
        }
        if let schema = catalog.schema(for: target), schema.category == wanted {
            if schema.implicitInstance { return nil }
            return problem(reference, "names the type '\(target)', which needs a section of its own: add [\(target)]")
        }
        if HekaPluginTypes.all.contains(target), catalog.schema(for: target) == nil {
            return problem(reference, "names '\(target)', a Heka plugin that Runnel does not implement")
        }
        var candidates = definitions.compactMap { name, category in category == wanted ? name : nil }
        candidates += catalog.schemas.filter { $0.category == wanted && $0.implicitInstance }.map(\.typeName)
        let suggestion = reference.value.secretVariable == nil ? DidYouMean.suggestion(for: target, among: candidates) : nil
        return problem(reference, "names \(reference.value.messageText), which is not a defined \(wanted.rawValue)",
                       suggestion: suggestion)
    }

    private static func problem(_ reference: OptionReference, _ text: String, suggestion: String? = nil) -> ConfigDiagnostic {
        let location = reference.value.location ?? FileLocation(file: "", line: 0, column: 0)
        let shown = reference.value.secretVariable == nil ? text : "names \(reference.value.messageText), which is not usable here"
        return ConfigDiagnostic(.error, at: location, section: reference.section, key: reference.option,
                                "option '\(reference.option)' in \(OptionValidator.place(reference.section, location)) \(shown)",
                                suggestion: suggestion)
    }
}
