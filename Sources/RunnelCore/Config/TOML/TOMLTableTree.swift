/// The mutable table tree the parser builds, with what TOML needs to tell a legal reopening of a
/// table from a duplicate definition: how each table came into being.
final class TOMLTableNode {
    enum Origin {
        case root
        /// Created as the parent of a `[a.b]` header; `[a]` may still define it once.
        case implicitlyCreated
        /// Defined by a `[header]`.
        case header
        /// Created by a dotted key such as `a.b = 1`; more dotted keys may extend it.
        case dottedKeys
        /// One element of an array of tables `[[x]]`.
        case arrayElement
    }

    enum Child {
        case value(ConfigValue)
        case table(TOMLTableNode)
        case tableArray(TOMLTableArrayNode)
    }

    var origin: Origin
    var location: FileLocation
    let depth: Int
    private(set) var order: [String] = []
    private(set) var children: [String: (child: Child, keyLocation: FileLocation)] = [:]

    init(origin: Origin, location: FileLocation, depth: Int) {
        self.origin = origin
        self.location = location
        self.depth = depth
    }

    subscript(key: String) -> (child: Child, keyLocation: FileLocation)? { children[key] }

    func insert(_ child: Child, for key: String, keyLocation: FileLocation) {
        if children[key] == nil { order.append(key) }
        children[key] = (child, keyLocation)
    }

    func configTable() -> ConfigTable {
        var table = ConfigTable()
        for key in order {
            guard let (child, keyLocation) = children[key] else { continue }
            table.append(ConfigTable.Entry(key: key, keyLocation: keyLocation, value: child.configValue))
        }
        return table
    }
}

final class TOMLTableArrayNode {
    let location: FileLocation
    private(set) var elements: [TOMLTableNode] = []

    init(location: FileLocation) { self.location = location }

    func append(_ element: TOMLTableNode) { elements.append(element) }
}

extension TOMLTableNode.Child {
    var configValue: ConfigValue {
        switch self {
        case .value(let value):
            return value
        case .table(let node):
            return ConfigValue(.table(node.configTable()), location: node.location)
        case .tableArray(let array):
            let tables = array.elements.map { ConfigValue(.table($0.configTable()), location: $0.location) }
            return ConfigValue(.array(tables), location: array.location)
        }
    }

    /// What this child is, for error messages: "a table", "an array of tables", "an integer".
    var kindDescription: String {
        switch self {
        case .value(let value):
            return value.tableValue != nil ? "an inline table" : value.kindDescription
        case .table(let node):
            return node.origin == .dottedKeys ? "a table defined by dotted keys" : "a table"
        case .tableArray:
            return "an array of tables"
        }
    }
}
