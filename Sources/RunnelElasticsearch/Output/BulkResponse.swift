import RunnelCore

/// The parts of a `_bulk` response the output acts on: per item, in request order, the HTTP-like
/// status and, for failures, the error's type and reason (Elastic's documented response shape:
/// `{"took":…,"errors":…,"items":[{"index":{"_index":…,"_id":…,"status":201,"error":{…}}},…]}`).
struct BulkResponse: Sendable {
    struct Item: Sendable, Equatable {
        var status: Int
        var errorType: String?
        var reason: String?
        /// The whole `error` object, for the dead-letter file.
        var error: JSONValue?
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    var errors: Bool
    var items: [Item]

    static func parse(_ body: [UInt8]) throws(Malformed) -> BulkResponse {
        let root: JSONValue
        do {
            root = try JSONReader.parse(body)
        } catch {
            throw Malformed(description: "response is not JSON: \(error)")
        }
        guard case .array(let entries)? = root["items"] else { throw Malformed(description: "response has no 'items' array") }
        var items: [Item] = []
        items.reserveCapacity(entries.count)
        for entry in entries {
            // Each entry is an object with one member named for the action.
            guard case .object(let members) = entry, let result = members.first?.value,
                  case .integer(let status)? = result["status"] else {
                throw Malformed(description: "item \(items.count) has no status")
            }
            var item = Item(status: Int(status))
            if let error = result["error"] {
                item.error = error
                if case .string(let type)? = error["type"] { item.errorType = type }
                if case .string(let reason)? = error["reason"] { item.reason = reason }
                if case .string(let text) = error { item.reason = text }
            }
            items.append(item)
        }
        var errors = false
        if case .bool(let flag)? = root["errors"] { errors = flag }
        return BulkResponse(errors: errors, items: items)
    }
}
