import RunnelCore

/// An encoder that can give each request task a copy of itself sharing no storage with the
/// original: templates, keys and caches are read for every document, and threads encoding at once
/// from one shared copy contend for those objects' reference counts and the caches' locks (more
/// CPU than the encoding itself on two cores). The copy encodes exactly as the original.
protocol ESTaskLocalCopy: Encoder {
    func taskLocalCopy() -> Self
}

extension ESJsonEncoder: ESTaskLocalCopy {
    func taskLocalCopy() -> ESJsonEncoder {
        var copy = self
        copy.action = action.taskLocalCopy()
        copy.parts = parts.map { ($0.part, JSONKey($0.key.name)) }
        copy.headers = headers.taskLocalCopy()
        copy.dynamicFields = dynamicFields.taskLocalCopy()
        copy.headerKeys = ESReservedKeys(headerKeys.keys.map(freshBytes))
        copy.scratch = ESEncodeScratch()
        return copy
    }
}

extension ESLogstashV0Encoder: ESTaskLocalCopy {
    func taskLocalCopy() -> ESLogstashV0Encoder {
        var copy = self
        copy.action = action.taskLocalCopy()
        copy.headers = headers.taskLocalCopy()
        copy.dynamicFields = dynamicFields.taskLocalCopy()
        copy.typeName = typeName?.taskLocalCopy()
        return copy
    }
}

extension ESBulkAction {
    func taskLocalCopy() -> ESBulkAction {
        var copy = ESBulkAction(kind: kind, index: index.taskLocalCopy(), typeName: typeName?.taskLocalCopy(), id: id?.taskLocalCopy(),
                                deterministicID: deterministicID?.taskLocalCopy(), indexFromTimestamp: indexFromTimestamp)
        copy.now = now
        return copy
    }
}

extension DeterministicDocumentID {
    func taskLocalCopy() -> DeterministicDocumentID {
        DeterministicDocumentID(templates: parts.map { $0.taskLocalCopy() })
    }
}

extension ESHeaderMembers {
    func taskLocalCopy() -> ESHeaderMembers {
        ESHeaderMembers(timestampTemplate: timestampFormat.taskLocalCopy())
    }
}

extension ESDynamicFields {
    func taskLocalCopy() -> ESDynamicFields {
        var copy = self
        copy.only = only.map { Set($0.map { ByteString(freshBytes($0.bytes)) }) }
        copy.raw = Set(raw.map { ByteString(freshBytes($0.bytes)) })
        copy.replaceDotsWith = replaceDotsWith.map(freshBytes)
        return copy
    }
}

extension InterpolatedTemplate {
    /// Parsed again from its text, which builds every part anew.
    func taskLocalCopy() -> InterpolatedTemplate {
        guard var copy = try? InterpolatedTemplate(template) else { return self }
        copy.missing = freshBytes(missing)
        return copy
    }
}

/// The bytes in a new buffer (`Array(bytes)` would share the old one).
func freshBytes(_ bytes: [UInt8]) -> [UInt8] {
    bytes.withUnsafeBufferPointer { Array($0) }
}
