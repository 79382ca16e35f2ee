import RunnelCore

/// Records are the messages of a Heka framed stream (Heka's HekaFramingSplitter); garbage between
/// frames is skipped and counted, and with signers configured only verified frames pass.
public struct HekaFramingSplitter: Splitter {
    private var reader: HekaStreamReader
    /// The most recent corruptions (at most 64 kept), for logging with their offsets.
    public private(set) var corruptions: [HekaStreamCorruption] = []
    private var unreported = 0

    public init(maxMessageSize: Int, verifier: HekaSignatureVerifier? = nil, startOffset: Int64 = 0) {
        reader = HekaStreamReader(maxMessageSize: maxMessageSize, startOffset: startOffset, verifier: verifier)
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        reader.append(bytes)
    }

    public mutating func next() -> SplitRecord? {
        while let item = reader.next() {
            switch item {
            case .frame(let frame):
                return SplitRecord(bytes: frame.messageBytes, endOffset: frame.offset + Int64(frame.frameLength))
            case .corruption(let corruption):
                record(corruption)
            }
        }
        return nil
    }

    public mutating func finish() -> SplitRecord? {
        if let corruption = reader.finish() { record(corruption) }
        return nil
    }

    public mutating func takeDiscarded() -> [String: Int] {
        defer { unreported = 0 }
        return unreported > 0 ? ["corrupt_frame": unreported] : [:]
    }

    private mutating func record(_ corruption: HekaStreamCorruption) {
        unreported += 1
        if corruptions.count == 64 { corruptions.removeFirst() }
        corruptions.append(corruption)
    }
}
