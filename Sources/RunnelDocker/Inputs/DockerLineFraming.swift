import RunnelCore

/// The DockerLogInput's default "splitter": none. Docker already delivers lines (and the input
/// joins the parts Docker split), so each line is one message. Configure a real splitter (a
/// RegexSplitter joining stack traces, say) to cut the stream of lines differently.
public struct DockerLineFraming: Splitter {
    public init() {}
    public mutating func append(_ bytes: ArraySlice<UInt8>) {}
    public mutating func next() -> SplitRecord? { nil }
    public mutating func finish() -> SplitRecord? { nil }
}
