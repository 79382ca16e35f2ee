import RunnelCore

/// The splitter a network input uses when its section names none: Heka's default for the input,
/// or what Heka's older `parser_type` and `delimiter` options asked for.
public enum NetworkDefaultSplitter: Sendable {
    /// Heka framing; with a verifier only frames signed by a configured signer pass.
    case hekaFraming(verifier: HekaSignatureVerifier?)
    case token(delimiter: UInt8)
    /// Each datagram (or read) is one record.
    case null

    func factory(limits: SplitterLimits) -> SplitterFactory {
        switch self {
        case .hekaFraming(let verifier):
            return { offset in HekaFramingSplitter(maxMessageSize: limits.maxRecordSize, verifier: verifier, startOffset: offset) }
        case .token(let delimiter):
            return { offset in TokenSplitter(delimiter: delimiter, limits: limits, startOffset: offset) }
        case .null:
            return { offset in NullSplitter(maxRecordSize: limits.maxRecordSize, startOffset: offset) }
        }
    }
}
