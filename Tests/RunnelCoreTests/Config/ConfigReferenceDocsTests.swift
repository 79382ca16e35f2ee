import Testing
@testable import RunnelCore

@Suite struct ConfigReferenceDocsTests {
    private let markdown = ConfigReferenceDocs.markdown(catalog: TestCatalog.catalog)

    @Test func globalOptionsAndIgnoredHekaOptions() {
        #expect(markdown.contains("## Global options: `[runnel]`"))
        #expect(markdown.contains("| `admin_address` | string | `\"127.0.0.1:4352\"` |  | "))
        #expect(markdown.contains("| `max_message_size` | byte size | `\"64KiB\"` |"))
        #expect(markdown.contains("### Heka options accepted and ignored"))
        #expect(markdown.contains("| `maxprocs` | it sets Go's GOMAXPROCS; Runnel sizes its own thread pool |"))
        #expect(!markdown.contains("| `maxprocs` | integer"))
    }

    @Test func commonOptionsPerCategoryWithSubTables() {
        for heading in ["### Every input", "### Every splitter", "### Every decoder", "### Every filter", "### Every encoder", "### Every output"] {
            #expect(markdown.contains(heading), "\(heading)")
        }
        #expect(markdown.contains("Decoders have no common options."))
        #expect(markdown.contains("| `message_matcher` | matcher |  | yes |"))
        #expect(markdown.contains("| `buffering.full_action` | string | `\"block\"` |  | "))
        #expect(markdown.contains("One of: `\"block\"`, `\"drop\"`, `\"shutdown\"`."))
        #expect(markdown.contains("| `retries.max_retries` | integer | `-1` |"))
    }

    @Test func everyPluginTypeHasItsOptionTable() throws {
        for schema in TestCatalog.catalog.schemas {
            #expect(markdown.contains("#### `\(schema.typeName)`\n\n\(schema.summary)"), "\(schema.typeName)")
        }
        #expect(markdown.contains("| `path` | string |  | yes | File to write. |"))
        #expect(markdown.contains("| `flush_count` | integer | `1` |  | Messages between flushes. |"))
        #expect(markdown.contains("| `rotation_size` | byte size | `\"64MiB\"` |  | Size at which the file rotates. Also accepted as `rotate_size`. |"))
        #expect(markdown.contains("| `tls.min_version` | string | `\"TLS12\"` |"))
        #expect(markdown.contains("No options beyond the common decoder options."))
        #expect(markdown.contains("Usable by type name without a section of its own."))
        #expect(markdown.contains("| `delimiter` | string | `\"\\n\"` |"))
        let inputs = try #require(markdown.range(of: "### Inputs")), outputs = try #require(markdown.range(of: "### Outputs"))
        #expect(inputs.lowerBound < outputs.lowerBound)
    }
}
