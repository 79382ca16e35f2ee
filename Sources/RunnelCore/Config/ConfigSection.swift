/// A top-level table of a configuration file: the global section or one plugin instance.
struct ConfigSection {
    var name: String
    var table: ConfigTable
    /// The section's header (or where the table was first mentioned).
    var location: FileLocation
    /// Position of the file in the merge order.
    var fileIndex: Int
}

/// A file to load: the name used in messages and its raw bytes.
struct ConfigSourceFile: Sendable {
    var name: String
    var bytes: [UInt8]
}
