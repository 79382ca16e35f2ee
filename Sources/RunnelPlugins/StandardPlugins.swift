import RunnelCore

/// Every plugin type in this target, for the agent's registry and the reference docs.
public enum StandardPlugins {
    public static let all: [PluginRegistration] = [
        LogstreamerInput.registration,
        StdinInput.registration,
        TcpInput.registration,
        UdpInput.registration,
        TokenSplitter.registration,
        NullSplitter.registration,
        HekaFramingSplitter.registration,
        RegexSplitter.registration,
        ProtobufDecoder.registration,
        PayloadRegexDecoder.registration,
        JsonDecoder.registration,
        NginxAccessDecoder.registration,
        ScribbleDecoder.registration,
        MultiDecoder.registration,
        PayloadEncoder.registration,
        RstEncoder.registration,
        ProtobufEncoder.registration,
        JsonEncoder.registration,
        TemplateEncoder.registration,
        LogOutput.registration,
        FileOutput.registration,
        TcpOutput.registration,
        CounterFilter.registration,
        AggregateFilter.registration,
    ]
}
