import RunnelCore

extension JSONWriter {
    /// `"key": value` in one call; the router's documents are mostly flat members.
    mutating func member(_ key: String, _ value: Int) {
        self.key(key)
        integer(value)
    }

    mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    /// A string, or `null` when absent.
    mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }
}
