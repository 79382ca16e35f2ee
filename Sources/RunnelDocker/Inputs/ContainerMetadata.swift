import RunnelCore

/// Which container fields the Docker inputs put on their messages, and which containers they
/// read: Heka's `fields_from_env`, `fields_from_labels`, `name_from_env_var`, plus `include` and
/// `exclude` matchers evaluated once per container over those fields.
public struct ContainerFieldSelection: Sendable {
    public var fieldsFromEnv: [String]
    public var fieldsFromLabels: [String]
    /// When the container has this environment variable, its value is the ContainerName.
    public var nameFromEnvVar: String?
    /// Only containers whose fields match are read (all when nil).
    public var include: MessageMatcher?
    /// Containers whose fields match are not read.
    public var exclude: MessageMatcher?

    public init(fieldsFromEnv: [String] = [], fieldsFromLabels: [String] = [], nameFromEnvVar: String? = nil,
                include: MessageMatcher? = nil, exclude: MessageMatcher? = nil) {
        self.fieldsFromEnv = fieldsFromEnv
        self.fieldsFromLabels = fieldsFromLabels
        self.nameFromEnvVar = nameFromEnvVar
        self.include = include
        self.exclude = exclude
    }

    /// The container's metadata, or nil when `include`/`exclude` leave it out.
    public func metadata(for details: DockerContainerDetails, type: ByteString, hostname: ByteString) -> ContainerMetadata? {
        let metadata = ContainerMetadata(details: details, selection: self)
        var probe = Message(timestamp: 0, type: type, hostname: hostname)
        probe.fields = metadata.fields
        if let include, !include.matches(probe) { return nil }
        if let exclude, exclude.matches(probe) { return nil }
        return metadata
    }
}

/// What the Docker inputs know of one container for its whole life, from one inspect.
public struct ContainerMetadata: Sendable, Equatable {
    public var id: String
    public var name: String
    public var image: String
    public var tty: Bool
    /// The container's `json-file` log on the daemon's host; nil for other log drivers.
    public var jsonLogPath: String?
    /// `ContainerID` (12 hex digits), `ContainerName`, `ContainerImage`, then each requested
    /// environment variable and label the container has, in the configured order.
    public var fields: [Field]

    public init(details: DockerContainerDetails, selection: ContainerFieldSelection) {
        id = details.id
        name = selection.nameFromEnvVar.flatMap { details.environment[$0] } ?? details.name
        image = details.image
        tty = details.tty
        jsonLogPath = details.logDriver == nil || details.logDriver == "json-file" ? details.logPath : nil
        var fields: [Field] = [
            .string("ContainerID", ByteString(DockerContainerID.short(details.id))),
            .string("ContainerName", ByteString(name)),
            .string("ContainerImage", ByteString(image)),
        ]
        for variable in selection.fieldsFromEnv {
            if let value = details.environment[variable] { fields.append(.string(ByteString(variable), ByteString(value))) }
        }
        for label in selection.fieldsFromLabels {
            if let value = details.labels[label] { fields.append(.string(ByteString(label), ByteString(value))) }
        }
        self.fields = fields
    }
}
