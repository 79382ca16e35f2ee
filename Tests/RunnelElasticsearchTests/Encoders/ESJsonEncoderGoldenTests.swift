import Foundation
import RunnelCore
import RunnelElasticsearch
import Testing

/// Byte-exact output for the example configurations in Heka's documentation of the two encoders.
@Suite struct ESJsonEncoderGoldenTests {
    static let hekaESJsonExample = """
        [ESJsonEncoder]
        index = "%{Type}-%{%Y.%m.%d}"
        es_index_from_timestamp = true
        type_name = "%{Type}"
        replace_dots_with = "_"

            [ESJsonEncoder.field_mappings]
            Timestamp = "@timestamp"
            Severity = "level"
        """

    @Test func hekaESJsonExampleForElasticsearch7() throws {
        let encoder = try ESTestConfig.encoder(Self.hekaESJsonExample, section: "ESJsonEncoder")
        let (action, document) = try ESTestConfig.encode(encoder, ESTestMessages.nginx)
        #expect(action == #"{"index":{"_index":"nginx.access-2013.11.04"}}"#)
        #expect(document == #"{"Uuid":"01234567-89ab-cdef-fedc-ba9876543210","@timestamp":"2013-11-04T15:04:05","Type":"nginx.access","Logger":"nginx","level":6,"Payload":"GET / HTTP/1.1","EnvVersion":"","Pid":1234,"Hostname":"web-1","http_status":200,"request_time":0.003,"user_agent":"curl/7.1 \"q\"\n"}"#)
    }

    @Test func hekaESJsonExampleForElasticsearch6KeepsTheType() throws {
        let six = try ESTestConfig.encoder(Self.hekaESJsonExample.replacingOccurrences(of: "replace_dots_with = \"_\"", with: "replace_dots_with = \"_\"\nes_version = 6"),
                                           section: "ESJsonEncoder")
        let (action, _) = try ESTestConfig.encode(six, ESTestMessages.nginx)
        #expect(action == #"{"index":{"_index":"nginx.access-2013.11.04","_type":"nginx.access"}}"#)
    }

    @Test func hekaLogstashV0Example() throws {
        let encoder = try ESTestConfig.encoder("""
            [ESLogstashV0Encoder]
            es_index_from_timestamp = true
            type_name = "%{Type}"
            replace_dots_with = "_"
            """, section: "ESLogstashV0Encoder")
        let (action, document) = try ESTestConfig.encode(encoder, ESTestMessages.nginx)
        #expect(action == #"{"index":{"_index":"logstash-2013.11.04"}}"#)
        #expect(document == #"{"@uuid":"01234567-89ab-cdef-fedc-ba9876543210","@timestamp":"2013-11-04T15:04:05","@type":"nginx.access","@logger":"nginx","@severity":6,"@message":"GET / HTTP/1.1","@envversion":"","@pid":1234,"@source_host":"web-1","@fields":{"http_status":200,"request_time":0.003,"user_agent":"curl/7.1 \"q\"\n"}}"#)
    }

    @Test func logstashUseMessageTypeAndEmptyTypeName() throws {
        let encoder = try ESTestConfig.encoder("""
            [ESLogstashV0Encoder]
            type_name = "static"
            use_message_type = true
            fields = ["Type"]
            """, section: "ESLogstashV0Encoder")
        #expect(try ESTestConfig.encode(encoder, ESTestMessages.nginx).document == #"{"@type":"nginx.access"}"#)
        let named = try ESTestConfig.encoder("[ESLogstashV0Encoder]\ntype_name = \"static\"\nfields = [\"Type\"]", section: "ESLogstashV0Encoder")
        #expect(try ESTestConfig.encode(named, ESTestMessages.nginx).document == #"{"@type":"static"}"#)
    }

    /// Heka's defaults: every part in Heka's order, `heka-%{%Y.%m.%d}` on the current day.
    @Test func defaultsIndexByTodayAndWriteEveryPart() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]", section: "ESJsonEncoder")
        let before = Self.day(WallClock.nowNanoseconds())
        let (action, document) = try ESTestConfig.encode(encoder, ESTestMessages.nginx)
        let after = Self.day(WallClock.nowNanoseconds())
        #expect(action == #"{"index":{"_index":"heka-\#(before)"}}"# || action == #"{"index":{"_index":"heka-\#(after)"}}"#)
        #expect(document.hasPrefix(#"{"Uuid":"01234567-89ab-cdef-fedc-ba9876543210","Timestamp":"2013-11-04T15:04:05","Type":"nginx.access""#))
        #expect(document.hasSuffix(#""Hostname":"web-1","http.status":200,"request_time":0.003,"user_agent":"curl/7.1 \"q\"\n"}"#))
    }

    @Test func fieldsChooseAndOrderTheParts() throws {
        let encoder = try ESTestConfig.encoder("""
            [ESJsonEncoder]
            fields = ["payload", "Severity", "dynamicfields"]
            dynamic_fields = ["http.status"]
            timestamp = "%Y"
            """, section: "ESJsonEncoder")
        #expect(try ESTestConfig.encode(encoder, ESTestMessages.nginx).document == #"{"Payload":"GET / HTTP/1.1","Severity":6,"http.status":200}"#)
    }

    @Test func unsetHeadersReadAsHekaWroteThem() throws {
        let encoder = try ESTestConfig.encoder("[ESJsonEncoder]\nes_index_from_timestamp = true", section: "ESJsonEncoder")
        let (_, document) = try ESTestConfig.encode(encoder, Message(timestamp: 0))
        #expect(document == #"{"Uuid":"","Timestamp":"1970-01-01T00:00:00","Type":"","Logger":"","Severity":7,"Payload":"","EnvVersion":"","Pid":0,"Hostname":""}"#)
    }

    static func day(_ nanoseconds: Int64) -> String {
        let time = CivilTime(nanosecondsSinceEpoch: nanoseconds)
        return String(format: "%04d.%02d.%02d", time.year, time.month, time.day)
    }
}
