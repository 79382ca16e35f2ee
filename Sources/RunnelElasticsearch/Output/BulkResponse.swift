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

    /// The number of items when the response says, in Elasticsearch's compact form, that every
    /// item succeeded (`"errors":false`, no `"error":` member anywhere); nil otherwise, and the
    /// response is then parsed in full. Spares building a tree of thousands of items per request.
    static func countIfAllSucceeded(_ body: [UInt8]) -> Int? {
        body.withUnsafeBufferPointer { bytes -> Int? in
            guard occurrences(of: errorsFalse, in: bytes, limit: 1) == 1,
                  occurrences(of: errorKey, in: bytes, limit: 1) == 0 else { return nil }
            return occurrences(of: statusKey, in: bytes, limit: .max)
        }
    }

    private static let errorsFalse = Array(#""errors":false"#.utf8)
    private static let errorKey = Array(#""error":"#.utf8)
    private static let statusKey = Array(#""status":"#.utf8)

    private static func occurrences(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        guard needle.count <= bytes.count, let first = needle.first else { return 0 }
        var found = 0
        var index = 0
        let last = bytes.count - needle.count
        while index <= last && found < limit {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched {
                    found += 1
                    index += needle.count
                    continue
                }
            }
            index += 1
        }
        return found
    }

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
