import RunnelCore

/// Buffers an encoder reuses from one document to the next instead of allocating them per
/// document: the JSON writer, the rendered index name and the bytes hashed into the id. Only a
/// task-local copy of an encoder has one (`ESTaskLocalCopy`); the shared encoder allocates.
///
/// `@unchecked Sendable`: the encoder holding it must be Sendable, but an instance is made by
/// `taskLocalCopy()` for one request task, which encodes with it synchronously and never hands the
/// copy to another task, so the mutable state is never touched from two threads.
final class ESEncodeScratch: @unchecked Sendable {
    var writer = JSONWriter(reservingCapacity: 4096)
    var indexName: [UInt8] = []
    var idInput: [UInt8] = []

    init() {
        indexName.reserveCapacity(256)
        idInput.reserveCapacity(1024)
    }
}
