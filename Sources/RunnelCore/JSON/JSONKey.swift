/// An object key escaped and quoted once (`"name":`), for keys written again and again.
public struct JSONKey: Sendable, Hashable {
    public let name: String
    let encoded: [UInt8]

    public init(_ name: String) {
        self.name = name
        var writer = JSONWriter(reservingCapacity: name.utf8.count + 3)
        writer.key(name)
        encoded = writer.bytes
    }
}
