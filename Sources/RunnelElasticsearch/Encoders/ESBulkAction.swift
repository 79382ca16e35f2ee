import RunnelCore

/// The bulk API's action line before each document: `{"index":{"_index":…,"_type":…,"_id":…}}`.
///
/// The index is interpolated (`%{Type}`, `%{Hostname}`, `%{Fields[x]}` or a bare field name,
/// `%{%Y.%m.%d}`), with time codes from the wall clock unless `indexFromTimestamp`, and made legal
/// (`ESIndexName`). `_type` is only written for Elasticsearch before 7, which still had types.
/// `_id` comes from the `id` template (omitted when it renders empty, letting Elasticsearch choose)
/// or from `DeterministicDocumentID`.
public struct ESBulkAction: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case index, create }

    public var kind: Kind
    public var index: InterpolatedTemplate
    public var typeName: InterpolatedTemplate?
    public var id: InterpolatedTemplate?
    public var deterministicID: DeterministicDocumentID?
    public var indexFromTimestamp: Bool
    /// The wall clock, replaceable so tests can pin the day an index name is rendered for.
    public var now: @Sendable () -> Int64 = { WallClock.nowNanoseconds() }
    private let legalNames = ESIndexNameCache()

    public init(kind: Kind, index: InterpolatedTemplate, typeName: InterpolatedTemplate?, id: InterpolatedTemplate?,
                deterministicID: DeterministicDocumentID?, indexFromTimestamp: Bool) {
        self.kind = kind
        self.index = index
        self.typeName = typeName
        self.id = id
        self.deterministicID = deterministicID
        self.indexFromTimestamp = indexFromTimestamp
    }

    private static let indexOpen = JSONKey("index")
    private static let createOpen = JSONKey("create")
    private static let indexKey = JSONKey("_index")
    private static let typeKey = JSONKey("_type")
    private static let idKey = JSONKey("_id")

    /// Writes the action line without its trailing newline.
    public func write(for message: Message, into writer: inout JSONWriter) {
        var indexName: [UInt8] = []
        var idInput: [UInt8] = []
        write(for: message, into: &writer, indexName: &indexName, idInput: &idInput)
    }

    /// The same, rendering the index name and the id's input in the given buffers (reused per
    /// document by task-local encoders).
    func write(for message: Message, into writer: inout JSONWriter, indexName: inout [UInt8], idInput: inout [UInt8]) {
        writer.beginObject()
        writer.key(kind == .create ? Self.createOpen : Self.indexOpen)
        writer.beginObject()
        writer.key(Self.indexKey)
        indexName.removeAll(keepingCapacity: true)
        index.render(message, timeNanoseconds: indexFromTimestamp ? message.timestamp : now(), into: &indexName)
        writer.string(legalNames.legalName(indexName))
        if let typeName {
            writer.key(Self.typeKey)
            writer.string(typeName.render(message))
        }
        if let deterministicID {
            writer.key(Self.idKey)
            deterministicID.withID(for: message, input: &idInput) { _ = writer.string($0) }
        } else if let id {
            let rendered = id.render(message)
            if !rendered.isEmpty {
                writer.key(Self.idKey)
                writer.string(rendered)
            }
        }
        writer.endObject()
        writer.endObject()
    }
}
