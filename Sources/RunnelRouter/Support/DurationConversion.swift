import NIOCore

extension Duration {
    /// Whole nanoseconds (sub-nanosecond parts dropped), for NIO's `TimeAmount`.
    var nanosecondCount: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }

    var timeAmount: TimeAmount { .nanoseconds(nanosecondCount) }
}
