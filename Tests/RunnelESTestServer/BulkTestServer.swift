import Foundation
import RunnelCore
import RunnelHTTP
import Synchronization

/// A stand-in for Elasticsearch's `_bulk` endpoint over real HTTP (RunnelHTTP's NIO server on a
/// loopback port), following Elastic's documented contract where the output depends on it.
///
/// Covered:
/// - `POST /_bulk` and `POST /{index}/_bulk` (the path index is the default `_index`), NDJSON body
///   that must end with a newline (else 400 for the whole request), `Content-Encoding: gzip`;
/// - actions `index`, `create` and `delete` with `_index` and `_id` (an absent `_id` is generated);
///   `update` and unknown actions are answered with a per-item 400; an action line that is not
///   JSON, or a missing document line, fails the whole request with 400 like Elasticsearch;
/// - per-item results in request order with `_index`, `_id`, `_version`, `result`, `status`
///   (201 created, 200 updated/deleted, 404 not found) and an `error` object {type, reason};
///   the top-level `took` and `errors` flag;
/// - 409 `version_conflict_engine_exception` on `create` of an existing id;
/// - a document that is not JSON: per-item 400 `mapper_parsing_exception`;
/// - a simple dynamic mapping: the first value seen for a top-level field fixes its kind (text,
///   number, boolean, object); a later value of another kind is refused with per-item 400
///   `mapper_parsing_exception` (numbers into text and numeric strings into numbers are coerced,
///   as Elasticsearch does);
/// - injected faults: a fraction of items refused with 429 `es_rejected_execution_exception`
///   (random per attempt, seeded), whole-request statuses (429, 503, …) for the next N requests,
///   a body size above which the request gets 413, added latency, and required credentials
///   (basic or API key, else 401);
/// - `GET /_test/stored` (`index id version` per line) and `GET /{index}/_doc/{id}`
///   (`_source` included) to read back what was stored; `GET /_count`; `POST /_test/reset`
///   forgets every document, mapping and count (the benchmark's runs start from an empty server).
/// Not covered: everything else of the real API (search, refresh, routing, versioning options,
/// pipelines, nested mappings, shards and replicas, `filter_path`, …).
public final class BulkTestServer: Sendable {
    public struct Faults: Sendable {
        public var itemRejectFraction = 0.0
        public var wholeRequestStatuses: [Int] = []
        public var maxBodyBytes = Int.max
        public var latency: Duration = .zero
        public var requiredAuthorization: String?
    }

    public struct Document: Sendable {
        public var version: Int
        public var source: [UInt8]?
    }

    public enum FieldKind: String, Sendable { case text, number, boolean, object }

    public struct State: Sendable {
        public var faults = Faults()
        public var random = SplitMix64(seed: 42)
        public var indices: [String: [String: Document]] = [:]
        public var mappings: [String: [String: FieldKind]] = [:]
        public var requests = 0
        public var itemAttempts = 0
        public var statusCounts: [Int: Int] = [:]
        public var nextGeneratedID = 0
        public var keepSources = true
        public var bodyBytes = 0
    }

    public let state = Mutex(State())
    private let server = Mutex<HTTPServer?>(nil)
    private let boundPort = Mutex(0)
    public var port: Int { boundPort.withLock { $0 } }

    public static func start(port: Int = 0, keepSources: Bool = true) async throws -> BulkTestServer {
        let server = BulkTestServer()
        server.state.withLock { $0.keepSources = keepSources }
        try await server.listen(port: port)
        return server
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    private func listen(port: Int) async throws {
        let http = try await HTTPServer.start(host: "127.0.0.1", port: port, maxBodyBytes: 512 << 20) { [weak self] request in
            guard let self else { return .text(503, "gone") }
            return await self.handle(request)
        }
        boundPort.withLock { $0 = http.port }
        server.withLock { $0 = http }
    }

    /// Stops listening (connections are refused) until `restart()`; stored data is kept.
    public func stop() async {
        let http = server.withLock { current -> HTTPServer? in
            defer { current = nil }
            return current
        }
        await http?.stop()
    }

    public func restart() async throws {
        try await listen(port: port)
    }

    public func setFaults(_ change: (inout Faults) -> Void) {
        state.withLock { change(&$0.faults) }
    }

    /// Forgets every document, mapping and count; faults and `keepSources` stay.
    public func reset() {
        state.withLock { state in
            state = State(faults: state.faults, keepSources: state.keepSources)
        }
    }

    public var storedCount: Int { state.withLock { $0.indices.values.reduce(0) { $0 + $1.count } } }

    public func document(index: String, id: String) -> Document? { state.withLock { $0.indices[index]?[id] } }

    public var allDocuments: [(index: String, id: String, version: Int)] {
        state.withLock { state in
            state.indices.flatMap { index, docs in docs.map { (index, $0.key, $0.value.version) } }
        }
    }

    // MARK: HTTP

    private func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let faults = state.withLock { state -> Faults in
            state.requests += 1
            return state.faults
        }
        if faults.latency > .zero { try? await Task.sleep(for: faults.latency) }
        if let required = faults.requiredAuthorization, request.header("Authorization") != required {
            return Self.errorResponse(401, type: "security_exception", reason: "missing authentication credentials")
        }
        let segments = request.path.split(separator: "/").map(String.init)
        switch (request.method, segments.count) {
        case ("GET", 1) where segments == ["_count"]:
            return .json(200, Array("{\"count\":\(storedCount)}".utf8))
        case ("GET", 2) where segments == ["_test", "stored"]:
            let lines = allDocuments.map { "\($0.index) \($0.id) \($0.version)\n" }.joined()
            return .text(200, lines)
        case ("POST", 2) where segments == ["_test", "reset"]:
            reset()
            return .json(200, Array("{}".utf8))
        case ("GET", 3) where segments[1] == "_doc":
            return getDocument(index: segments[0], id: segments[2])
        case ("POST", 1) where segments == ["_bulk"], ("PUT", 1) where segments == ["_bulk"]:
            return bulk(request, defaultIndex: nil, faults: faults)
        case ("POST", 2) where segments[1] == "_bulk", ("PUT", 2) where segments[1] == "_bulk":
            return bulk(request, defaultIndex: segments[0], faults: faults)
        default:
            return Self.errorResponse(404, type: "no_handler_found_exception", reason: "no handler for \(request.method) \(request.path)")
        }
    }

    private func getDocument(index: String, id: String) -> HTTPResponse {
        guard let document = self.document(index: index, id: id) else {
            return .json(404, Array(#"{"_index":"\#(index)","_id":"\#(id)","found":false}"#.utf8))
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("_index"); writer.string(index)
        writer.key("_id"); writer.string(id)
        writer.key("_version"); writer.integer(document.version)
        writer.key("found"); writer.bool(true)
        writer.endObject()
        var bytes = writer.bytes
        if let source = document.source {
            bytes.removeLast()
            bytes += Array(#","_source":"#.utf8) + source + [UInt8(ascii: "}")]
        }
        return .json(200, bytes)
    }

    private func bulk(_ request: HTTPRequest, defaultIndex: String?, faults: Faults) -> HTTPResponse {
        let forced: Int? = state.withLock { state in
            guard !state.faults.wholeRequestStatuses.isEmpty else { return nil }
            return state.faults.wholeRequestStatuses.removeFirst()
        }
        if let forced {
            let type = forced == 429 ? "es_rejected_execution_exception" : forced == 503 ? "cluster_block_exception" : "injected_failure"
            return Self.errorResponse(forced, type: type, reason: "injected whole-request \(forced)")
        }
        var body = request.body
        if request.header("Content-Encoding")?.lowercased() == "gzip" {
            do {
                body = try Gzip.decompress(body)
            } catch {
                return Self.errorResponse(400, type: "parse_exception", reason: "bad gzip body: \(error)")
            }
        }
        if body.count > faults.maxBodyBytes {
            return Self.errorResponse(413, type: "content_too_long", reason: "request of \(body.count) bytes exceeds \(faults.maxBodyBytes)")
        }
        guard body.last == UInt8(ascii: "\n") else {
            return Self.errorResponse(400, type: "illegal_argument_exception", reason: "The bulk request must be terminated by a newline [\\n]")
        }
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var operations: [(action: String, index: String?, id: String?, source: ArraySlice<UInt8>?)] = []
        var cursor = 0
        while cursor < lines.count {
            guard case .object(let members)? = try? JSONReader.parse(lines[cursor]), members.count == 1,
                  case .object = members[0].value else {
                return Self.errorResponse(400, type: "x_content_parse_exception", reason: "malformed action/metadata line [\(cursor + 1)]")
            }
            let action = members[0].key
            let meta = members[0].value
            var index: String?
            var id: String?
            if case .string(let value)? = meta["_index"] { index = value }
            if case .string(let value)? = meta["_id"] { id = value }
            cursor += 1
            var source: ArraySlice<UInt8>?
            if action != "delete" {
                guard cursor < lines.count else {
                    return Self.errorResponse(400, type: "illegal_argument_exception", reason: "action [\(action)] is missing its document line")
                }
                source = lines[cursor]
                cursor += 1
            }
            operations.append((action, index ?? defaultIndex, id, source))
        }
        let started = ContinuousClock.now
        var writer = JSONWriter(reservingCapacity: 128 * operations.count + 64)
        var anyError = false
        writer.beginObject()
        writer.key("items")
        writer.beginArray()
        state.withLock { state in
            state.bodyBytes += body.count
            for operation in operations {
                state.itemAttempts += 1
                let result = apply(operation, state: &state)
                state.statusCounts[result.status, default: 0] += 1
                if result.status >= 300 { anyError = true }
                writer.beginObject()
                writer.key(operation.action)
                writer.beginObject()
                writer.key("_index"); writer.string(operation.index ?? "")
                writer.key("_id"); writer.string(result.id)
                if let version = result.version { writer.key("_version"); writer.integer(version) }
                if let outcome = result.result { writer.key("result"); writer.string(outcome) }
                writer.key("status"); writer.integer(result.status)
                if let error = result.error {
                    writer.key("error")
                    writer.beginObject()
                    writer.key("type"); writer.string(error.type)
                    writer.key("reason"); writer.string(error.reason)
                    writer.endObject()
                }
                writer.endObject()
                writer.endObject()
            }
        }
        writer.endArray()
        writer.key("took")
        writer.integer(Int((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000))
        writer.key("errors")
        writer.bool(anyError)
        writer.endObject()
        return .json(200, writer.bytes)
    }

    private struct ItemResult {
        var status: Int
        var id: String
        var version: Int?
        var result: String?
        var error: (type: String, reason: String)?
    }

    private func apply(_ operation: (action: String, index: String?, id: String?, source: ArraySlice<UInt8>?),
                       state: inout State) -> ItemResult {
        let id = operation.id ?? {
            state.nextGeneratedID += 1
            return "gen-\(state.nextGeneratedID)"
        }()
        guard let index = operation.index, !index.isEmpty else {
            return ItemResult(status: 400, id: id, error: ("action_request_validation_exception", "index is missing"))
        }
        guard index == index.lowercased(), !index.contains("/"), !index.hasPrefix("-"), !index.hasPrefix("_") else {
            return ItemResult(status: 400, id: id, error: ("invalid_index_name_exception", "Invalid index name [\(index)]"))
        }
        if state.faults.itemRejectFraction > 0, Double(state.random.next() % 1_000_000) / 1_000_000 < state.faults.itemRejectFraction {
            return ItemResult(status: 429, id: id, error: ("es_rejected_execution_exception", "rejected execution (injected): write queue is full"))
        }
        let existing = state.indices[index]?[id]
        switch operation.action {
        case "delete":
            guard let existing else { return ItemResult(status: 404, id: id, version: 1, result: "not_found") }
            state.indices[index]?[id] = nil
            return ItemResult(status: 200, id: id, version: existing.version + 1, result: "deleted")
        case "index", "create":
            if operation.action == "create", let existing {
                return ItemResult(status: 409, id: id, error: ("version_conflict_engine_exception",
                                                               "[\(id)]: version conflict, document already exists (current version [\(existing.version)])"))
            }
            guard let source = operation.source, case .object(let members)? = try? JSONReader.parse(source) else {
                return ItemResult(status: 400, id: id, error: ("mapper_parsing_exception", "failed to parse: the document is not a JSON object"))
            }
            if let conflict = checkMapping(members, index: index, id: id, state: &state) {
                return ItemResult(status: 400, id: id, error: ("mapper_parsing_exception", conflict))
            }
            let version = (existing?.version ?? 0) + 1
            state.indices[index, default: [:]][id] = Document(version: version, source: state.keepSources ? Array(source) : nil)
            return ItemResult(status: existing == nil ? 201 : 200, id: id, version: version, result: existing == nil ? "created" : "updated")
        default:
            return ItemResult(status: 400, id: id, error: ("illegal_argument_exception", "action [\(operation.action)] is not supported by the test server"))
        }
    }

    /// The first value of a field fixes its kind; nil when the document fits, else the reason.
    private func checkMapping(_ members: [JSONMember], index: String, id: String, state: inout State) -> String? {
        var mapping = state.mappings[index] ?? [:]
        for member in members {
            let kind: FieldKind?
            switch member.value {
            case .null: kind = nil
            case .bool: kind = .boolean
            case .integer, .double: kind = .number
            case .string: kind = .text
            case .object: kind = .object
            case .array(let values):
                kind = values.first.flatMap { value -> FieldKind? in
                    switch value {
                    case .bool: .boolean
                    case .integer, .double: .number
                    case .string: .text
                    case .object: .object
                    default: nil
                    }
                }
            }
            guard let kind else { continue }
            guard let known = mapping[member.key] else {
                mapping[member.key] = kind
                continue
            }
            let compatible = known == kind || (known == .text && kind == .number)
                || (known == .number && kind == .text && { if case .string(let text) = member.value { return Double(text) != nil } else { return false } }())
            if !compatible {
                return "failed to parse field [\(member.key)] of type [\(known == .number ? "long" : known.rawValue)] in document with id '\(id)'"
            }
        }
        state.mappings[index] = mapping
        return nil
    }

    private static func errorResponse(_ status: Int, type: String, reason: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("type"); writer.string(type)
        writer.key("reason"); writer.string(reason)
        writer.endObject()
        writer.key("status"); writer.integer(status)
        writer.endObject()
        return .json(status, writer.bytes)
    }
}
