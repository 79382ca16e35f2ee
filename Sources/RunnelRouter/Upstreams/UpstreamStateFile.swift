import Foundation
import RunnelCore

/// The desired upstream state changed through the API, kept in `<state_dir>/upstreams.json` so a
/// restart keeps it: upstreams set through the API, and names deleted through it (which override
/// static upstreams of the config file). Written to a temporary file and renamed, never half.
struct UpstreamStateFile: Sendable {
    var upstreams: [String: UpstreamSpec] = [:]
    var deleted: Set<String> = []

    static func path(in directory: String) -> String { directory + "/upstreams.json" }

    static func load(directory: String) -> Result<UpstreamStateFile, UpstreamJSON.Problem> {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else { return .success(UpstreamStateFile()) }
        let document: JSONValue
        do {
            document = try JSONReader.parse([UInt8](data))
        } catch {
            return .failure(UpstreamJSON.Problem(message: "\(path(in: directory)) is not JSON: \(error)"))
        }
        var state = UpstreamStateFile()
        if case .object(let members)? = document["upstreams"] {
            for member in members {
                var writer = JSONWriter()
                writer.value(member.value)
                switch UpstreamJSON.parseChange(writer.bytes) {
                case .success(.replace(let levels, let balancer)):
                    state.upstreams[member.key] = UpstreamSpec(name: member.key, levels: levels, balancer: balancer)
                case .success(.merge(let servers, let balancer)):
                    state.upstreams[member.key] = UpstreamSpec(name: member.key, levels: [servers], balancer: balancer)
                case .failure(let problem):
                    return .failure(UpstreamJSON.Problem(message: "\(path(in: directory)): upstream '\(member.key)': \(problem.message)"))
                }
            }
        }
        if case .array(let names)? = document["deleted"] {
            for case .string(let name) in names { state.deleted.insert(name) }
        }
        return .success(state)
    }

    func save(directory: String) throws {
        var writer = JSONWriter(reservingCapacity: 4096)
        writer.beginObject()
        writer.key("version")
        writer.integer(1)
        writer.key("upstreams")
        writer.beginObject()
        for name in upstreams.keys.sorted() {
            guard let spec = upstreams[name] else { continue }
            writer.key(name)
            UpstreamJSON.write(spec, into: &writer)
        }
        writer.endObject()
        writer.key("deleted")
        writer.beginArray()
        for name in deleted.sorted() { writer.string(name) }
        writer.endArray()
        writer.endObject()
        writer.lineBreak()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = Self.path(in: directory)
        let temporary = target + ".tmp"
        try Data(writer.bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, target) == 0 else { throw UpstreamJSON.Problem(message: "cannot rename \(temporary) to \(target)") }
    }
}
