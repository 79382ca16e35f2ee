/// A TOML table: keys in the order they were written, each with the location of the key.
public struct ConfigTable: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public struct Entry: Sendable {
        public var key: String
        /// Where the key was written; nil for entries added in code (defaults).
        public var keyLocation: FileLocation?
        public var value: ConfigValue

        public init(key: String, keyLocation: FileLocation? = nil, value: ConfigValue) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public private(set) var entries: [Entry] = []
    private var indexByKey: [String: Int] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Reading returns the value for `key`; writing replaces it in place, appends a new key, or
    /// removes the key when given nil.
    public subscript(key: String) -> ConfigValue? {
        get { indexByKey[key].map { entries[$0].value } }
        set {
            if let newValue {
                if let index = indexByKey[key] {
                    entries[index].value = newValue
                } else {
                    append(Entry(key: key, value: newValue))
                }
            } else if let index = indexByKey.removeValue(forKey: key) {
                entries.remove(at: index)
                for position in index..<entries.count { indexByKey[entries[position].key] = position }
            }
        }
    }

    public func entry(_ key: String) -> Entry? { indexByKey[key].map { entries[$0] } }

    /// Appends an entry, replacing an existing one with the same key.
    public mutating func append(_ entry: Entry) {
        if let index = indexByKey[entry.key] {
            entries[index] = entry
        } else {
            indexByKey[entry.key] = entries.count
            entries.append(entry)
        }
    }

    /// The entries as a dictionary (order lost).
    public var dictionary: [String: ConfigValue] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Tables compare as dictionaries: same keys with equal values, in any order.
    public static func == (lhs: ConfigTable, rhs: ConfigTable) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    /// The key as TOML would need it written: bare when possible, quoted otherwise.
    static func quotedKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy(TOMLSyntax.isBareKeyByte)
        return bare ? key : ConfigValue.quoted(key)
    }
}
