import RunnelCore

extension DockerEventInput {
    public static let registration = PluginRegistration(
        schema: PluginSchema(
            typeName: "DockerEventInput", category: .input,
            summary: "One `DockerEvent` message per Docker event (container start, die, destroy, …) with Heka's fields, checkpointed so restarts neither lose nor repeat events.",
            options: DockerOptions.connection + [
                OptionSpec("types", .array(.string), default: .array([]),
                           summary: "Event types to keep, e.g. `[\"container\"]`; all when empty."),
                OptionSpec("fields_from_labels", .array(.string), default: .array([]),
                           summary: "Labels of the event's object added as string fields of the same name."),
            ],
            hekaCompatible: true)
    ) { config, _ throws(PluginBuildError) in
        var options = DockerEventInput.Options(endpoint: try DockerOptions.endpoint(config))
        options.types = config.strings("types") ?? []
        options.fieldsFromLabels = config.strings("fields_from_labels") ?? []
        options.retry = DockerOptions.retries(config)
        return .input(DockerEventInput(options: options))
    }
}
