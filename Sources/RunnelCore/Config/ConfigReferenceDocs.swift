import Foundation

/// Generates the configuration reference (Markdown) from the schemas, so the docs cannot drift
/// from what the loader accepts.
public enum ConfigReferenceDocs {
    public static func markdown(catalog: PluginCatalog) -> String {
        var out = """
        # Runnel configuration reference

        Generated from the option schemas by `ConfigReferenceDocs.markdown(catalog:)`; change the \
        schemas, not this file. The rules (files, sections, `%ENV`, validation) are in \
        [configuration.md](configuration.md).

        Types: *duration* is seconds (integer or float) or a string such as `"250ms"` or `"1m30s"`; \
        *byte size* is bytes (integer) or a string such as `"64MiB"` or `"1.5 GB"`.


        """
        out += "## Global options: `[runnel]`\n\n`[hekad]` is accepted instead (not both).\n\n"
        out += optionTable(GlobalOptions.schema.filter { $0.ignoredBecause == nil })
        out += "\n### Heka options accepted and ignored\n\n| Option | Why it is ignored |\n|---|---|\n"
        for spec in GlobalOptions.schema {
            guard let reason = spec.ignoredBecause else { continue }
            out += "| `\(spec.name)` | \(cell(reason)) |\n"
        }

        out += "\n## Common options\n\nEvery plugin of a category accepts these besides its own options.\n"
        for category in PluginCategory.allCases {
            let options = CommonOptions.options(for: category)
            out += "\n### Every \(category.rawValue)\n\n"
            out += options.isEmpty ? "\(category.pluralTitle) have no common options.\n" : optionTable(options)
        }

        out += "\n## Plugin types\n"
        let schemas = catalog.schemas
        for category in PluginCategory.allCases {
            let ofCategory = schemas.filter { $0.category == category }
            guard !ofCategory.isEmpty else { continue }
            out += "\n### \(category.pluralTitle)\n"
            for schema in ofCategory { out += pluginSection(schema) }
        }
        return out
    }

    private static func pluginSection(_ schema: PluginSchema) -> String {
        var out = "\n#### `\(schema.typeName)`\n\n\(schema.summary)\n\n"
        var notes = [schema.hekaCompatible ? "Heka-compatible: Heka's documented options are accepted." : "Runnel-only type."]
        if schema.implicitInstance {
            notes.append("Usable by type name without a section of its own.")
        }
        out += notes.joined(separator: " ") + "\n\n"
        if schema.options.isEmpty {
            out += "No options beyond the common \(schema.category.rawValue) options.\n"
        } else {
            out += optionTable(schema.options)
        }
        return out
    }

    private static func optionTable(_ options: [OptionSpec]) -> String {
        var out = "| Option | Type | Default | Required | Description |\n|---|---|---|---|---|\n"
        for row in rows(options, prefix: "") { out += row }
        return out
    }

    /// Rows for `options`, with sub-table options following their table as `table.option`.
    private static func rows(_ options: [OptionSpec], prefix: String) -> [String] {
        var rows: [String] = []
        for spec in options {
            let name = prefix + spec.name
            let defaultText = spec.defaultValue.map { "`\(cell($0.description))`" } ?? ""
            var description = spec.summary
            if let allowed = spec.allowedValues {
                description += " One of: " + allowed.map { "`\(cell($0.description))`" }.joined(separator: ", ") + "."
            }
            if !spec.aliases.isEmpty {
                description += " Also accepted as " + spec.aliases.map { "`\($0)`" }.joined(separator: ", ") + "."
            }
            if let reason = spec.ignoredBecause, !spec.summary.contains(reason) {
                description += " Accepted and ignored: \(reason)."
            }
            rows.append("| `\(name)` | \(spec.kind.shortName) | \(defaultText) | \(spec.required ? "yes" : "") | \(cell(description)) |\n")
            if case .table(let subOptions) = spec.kind { rows += self.rows(subOptions, prefix: name + ".") }
            if case .array(.table(let subOptions)) = spec.kind { rows += self.rows(subOptions, prefix: name + "[].") }
        }
        return rows
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
