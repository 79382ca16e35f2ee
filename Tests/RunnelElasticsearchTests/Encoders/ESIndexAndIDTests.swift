import RunnelCore
import RunnelElasticsearch
import Testing

@Suite struct ESIndexAndIDTests {
    @Test(arguments: [
        ("/web/api", "web-api"), ("/web/api-2026.11.25", "web-api-2026.11.25"), ("Web API", "web-api"),
        ("_x", "x"), ("+-x", "x"), ("a\\b*c?d\"e<f>g|h,i#j:k", "a-b-c-d-e-f-g-h-i-j-k"), (".", "unnamed"), ("..", "unnamed"),
        ("", "unnamed"), ("///", "unnamed"), ("logs-ÄPP", "logs-äpp"), ("a//b", "a-b"),
    ])
    func indexNamesAreMadeLegal(_ input: String, _ expected: String) {
        #expect(ESIndexName.sanitize(input) == expected)
    }

    @Test func longIndexNamesAreCutOnACharacterBoundary() {
        let name = ESIndexName.sanitize(String(repeating: "a", count: 254) + "éé")
        #expect(name.utf8.count <= 255 && name == String(repeating: "a", count: 254))
    }

    @Test func indexFromAMarathonAppIDField() throws {
        let encoder = try ESTestConfig.encoder("""
            [es]
            type = "ESJsonEncoder"
            index = "%{MARATHON_APP_ID}-%{%Y.%m.%d}"
            es_index_from_timestamp = true
            """, section: "es")
        #expect(try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("x")).action == #"{"index":{"_index":"web-api-2013.11.04"}}"#)
        let withoutField = Message(timestamp: ESTestMessages.timestamp)
        #expect(try ESTestConfig.encode(encoder, withoutField).action == #"{"index":{"_index":"unknown-2013.11.04"}}"#)
    }

    @Test func idTemplateAndItsAbsence() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\nid = \"%{Fields[ContainerID]}-%{Timestamp}\"\nindex = \"i\"", section: "ESJsonEncoder")
        #expect(try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("x")).action == #"{"index":{"_index":"i","_id":"0123456789ab-1383577445123000000"}}"#)
        #expect(try ESTestConfig.encode(encoder, Message()).action == #"{"index":{"_index":"i","_id":"-0"}}"#)
        let bare = try ESTestConfig.encoder("[ESJsonEncoder]\nid = \"%{request_id}\"\nindex = \"i\"", section: "ESJsonEncoder")
        #expect(try ESTestConfig.encode(bare, Message()).action == #"{"index":{"_index":"i"}}"#)
    }

    @Test func deterministicIDsAreStableAcrossReadsAndCreateDocuments() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\ndeterministic_id = true\nindex = \"i\"", section: "ESJsonEncoder")
        let first = try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("line 1")).action
        let again = try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("line 1")).action  // another uuid
        let other = try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("line 2")).action
        let later = try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("line 1", timestamp: ESTestMessages.timestamp + 1)).action
        let elsewhere = try ESTestConfig.encode(encoder, ESTestMessages.dockerLog("line 1", container: "ba9876543210")).action
        #expect(first == again)
        #expect(first.hasPrefix(#"{"create":{"_index":"i","_id":""#))
        #expect(Set([first, other, later, elsewhere]).count == 4)
        let id = try #require(try JSONReader.parse(first)["create"]?["_id"])
        guard case .string(let text) = id else { Issue.record("no id"); return }
        #expect(text.count == 27 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test func deterministicIDPartsAreSeparated() throws {
        let ids = try DeterministicDocumentID(parts: ["Fields[a]", "Fields[b]"])
        let one = ids.id(for: Message(fields: [.string("a", "ab"), .string("b", "c")]))
        let two = ids.id(for: Message(fields: [.string("a", "a"), .string("b", "bc")]))
        #expect(one != two)
    }

    @Test func configurationMistakesAreReported() {
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\nfields = [\"Payload\", \"Nope\"]", section: "ESJsonEncoder").first?.contains("unknown value 'Nope'") == true)
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\nfields = [\"Payload\"]\ndynamic_fields = [\"x\"]", section: "ESJsonEncoder").first?.contains("DynamicFields") == true)
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\n[ESJsonEncoder.field_mappings]\nStamp = \"t\"", section: "ESJsonEncoder").first?.contains("unknown member 'Stamp'") == true)
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\nindex = \"%{\"", section: "ESJsonEncoder").first?.contains("unterminated") == true)
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\nid = \"x\"\ndeterministic_id = true", section: "ESJsonEncoder").first?.contains("cannot be combined") == true)
        #expect(ESTestConfig.buildErrors("[ESJsonEncoder]\naction = \"upsert\"", section: "ESJsonEncoder").isEmpty == false)
        #expect(ESTestConfig.buildErrors("[ESLogstashV0Encoder]\nuse_message_type = true", section: "ESLogstashV0Encoder").isEmpty)
    }
}
