import RunnelCore

/// `GET /version`.
public struct DockerVersion: Sendable, Equatable {
    public var version: String
    public var apiVersion: String
    public var minAPIVersion: String?
    public var os: String?
    public var kernelVersion: String?

    init(json: JSONValue) throws(DockerDecodingError) {
        guard let api = json["ApiVersion"]?.stringValue else { throw DockerDecodingError("ApiVersion missing") }
        version = json["Version"]?.stringValue ?? ""
        apiVersion = api
        minAPIVersion = json["MinAPIVersion"]?.stringValue
        os = json["Os"]?.stringValue
        kernelVersion = json["KernelVersion"]?.stringValue
    }
}

/// One entry of `GET /containers/json`.
public struct DockerContainerSummary: Sendable, Equatable {
    public var id: String
    /// The first name without its leading slash.
    public var name: String
    public var image: String
    /// `running`, `exited`, `created`, …
    public var state: String
    /// Creation time, seconds since the epoch.
    public var created: Int64
    public var labels: [String: String]

    init(json: JSONValue) throws(DockerDecodingError) {
        guard let id = json["Id"]?.stringValue, DockerContainerID.isValid(id) else { throw DockerDecodingError("container without a valid Id") }
        self.id = id
        let first = json["Names"]?.arrayValue?.first?.stringValue ?? ""
        name = first.hasPrefix("/") ? String(first.dropFirst()) : first
        image = json["Image"]?.stringValue ?? ""
        state = json["State"]?.stringValue ?? ""
        created = json["Created"]?.int64Value ?? 0
        labels = json["Labels"]?.stringDictionary ?? [:]
    }
}

/// What `GET /containers/{id}/json` tells the inputs: identity, environment, labels, TTY, state.
public struct DockerContainerDetails: Sendable, Equatable {
    public var id: String
    /// Without the leading slash Docker puts on names.
    public var name: String
    /// `Config.Image`, the image as the container was started with it (e.g. `nginx:1.25`).
    public var image: String
    /// `Config.Env`, split at the first `=`; a later duplicate wins, as in a process environment.
    public var environment: [String: String]
    public var labels: [String: String]
    public var tty: Bool
    public var running: Bool
    /// `State.Status`: `running`, `exited`, `restarting`, …
    public var status: String
    public var pid: Int64
    /// `State.StartedAt` and `State.FinishedAt` in nanoseconds; nil for Docker's zero time.
    public var startedAt: Int64?
    public var finishedAt: Int64?
    public var logPath: String?
    public var logDriver: String?

    init(json: JSONValue) throws(DockerDecodingError) {
        guard let id = json["Id"]?.stringValue, DockerContainerID.isValid(id) else { throw DockerDecodingError("container without a valid Id") }
        self.id = id
        let rawName = json["Name"]?.stringValue ?? ""
        name = rawName.hasPrefix("/") ? String(rawName.dropFirst()) : rawName
        image = json["Config", "Image"]?.stringValue ?? json["Image"]?.stringValue ?? ""
        var environment: [String: String] = [:]
        for entry in json["Config", "Env"]?.arrayValue ?? [] {
            guard let text = entry.stringValue else { continue }
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            } else {
                environment[text] = ""
            }
        }
        self.environment = environment
        labels = json["Config", "Labels"]?.stringDictionary ?? [:]
        tty = json["Config", "Tty"]?.boolValue ?? false
        running = json["State", "Running"]?.boolValue ?? false
        status = json["State", "Status"]?.stringValue ?? ""
        pid = json["State", "Pid"]?.int64Value ?? 0
        startedAt = Self.time(json["State", "StartedAt"]?.stringValue)
        finishedAt = Self.time(json["State", "FinishedAt"]?.stringValue)
        logPath = json["LogPath"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        logDriver = json["HostConfig", "LogConfig", "Type"]?.stringValue
    }

    /// Docker writes "0001-01-01T00:00:00Z" for "never".
    private static func time(_ text: String?) -> Int64? {
        guard let text, !text.hasPrefix("0001-") else { return nil }
        return DockerTimestamp.parse(Array(text.utf8))
    }
}

/// One message of `GET /events`.
public struct DockerEvent: Sendable, Equatable {
    /// `container`, `image`, `network`, …
    public var type: String
    /// `start`, `die`, `destroy`, `exec_start: sh`, …
    public var action: String
    /// The object's id (the container id for container events).
    public var id: String
    /// The image, for container events (the old `from` member).
    public var from: String
    /// `Actor.Attributes`: container name, image, labels, exit code.
    public var attributes: [String: String]
    public var timeNano: Int64

    init(json: JSONValue) throws(DockerDecodingError) {
        guard let action = json["Action"]?.stringValue ?? json["status"]?.stringValue else {
            throw DockerDecodingError("event without Action")
        }
        self.action = action
        type = json["Type"]?.stringValue ?? "container"
        id = json["Actor", "ID"]?.stringValue ?? json["id"]?.stringValue ?? ""
        from = json["from"]?.stringValue ?? json["Actor", "Attributes", "image"]?.stringValue ?? ""
        attributes = json["Actor", "Attributes"]?.stringDictionary ?? [:]
        timeNano = json["timeNano"]?.int64Value ?? (json["time"]?.int64Value).map { $0 * 1_000_000_000 } ?? 0
    }
}

/// A response that is not the JSON the API documents.
public struct DockerDecodingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Container ids: 64 lowercase hex digits; messages carry the 12-digit short form.
public enum DockerContainerID {
    public static func isValid(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    public static func short(_ id: String) -> String { String(id.prefix(12)) }
}
