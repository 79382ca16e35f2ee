/// Typed reads of options, shared by plugin configs and tables. A key may be a dotted path into
/// sub-tables: `config.integer("buffering.max_file_size")`.
public protocol ConfigOptionReading {
    /// The value stored directly under `key` (no path resolution).
    func configValue(forKey key: String) -> ConfigValue?
}

// The accessors are never inlined: Swift 6.3.1's optimizer crashes (an ownership verification
// failure in CopyPropagation, -O only) on callers into which several of them were inlined. Reading
// options is not a hot path, so the calls cost nothing that matters.
extension ConfigOptionReading {
    /// The value at `path`: the key itself if present, else its dotted parts through sub-tables.
    @inline(never)
    public func value(at path: String) -> ConfigValue? {
        if let direct = configValue(forKey: path) { return direct }
        var parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return nil }
        var value = configValue(forKey: parts.removeFirst())
        for part in parts { value = value?.tableValue?[part] }
        return value
    }

    @inline(never)
    public func string(_ key: String) -> String? { value(at: key)?.stringValue }

    @inline(never)
    public func integer(_ key: String) -> Int? { value(at: key)?.integerValue.flatMap { Int(exactly: $0) } }

    /// A float, or an integer read as one.
    @inline(never)
    public func double(_ key: String) -> Double? { value(at: key)?.doubleValue }

    @inline(never)
    public func bool(_ key: String) -> Bool? { value(at: key)?.boolValue }

    /// Integer or float seconds, or a string such as "250ms" (see `OptionKind.duration`).
    @inline(never)
    public func duration(_ key: String) -> Duration? { value(at: key)?.durationValue }

    /// Integer bytes or a string such as "64MiB" (see `OptionKind.byteSize`).
    @inline(never)
    public func byteSize(_ key: String) -> Int? { value(at: key)?.byteSizeValue }

    /// An array of strings (nil if any element is not a string).
    @inline(never)
    public func strings(_ key: String) -> [String]? {
        guard let elements = value(at: key)?.arrayValue else { return nil }
        let strings = elements.compactMap(\.stringValue)
        return strings.count == elements.count ? strings : nil
    }

    /// A table of strings (nil if any value is not a string).
    @inline(never)
    public func stringMap(_ key: String) -> [String: String]? {
        guard let table = value(at: key)?.tableValue else { return nil }
        var map: [String: String] = [:]
        for entry in table.entries {
            guard let text = entry.value.stringValue else { return nil }
            map[entry.key] = text
        }
        return map
    }

    @inline(never)
    public func table(_ key: String) -> ConfigTable? { value(at: key)?.tableValue }
}

extension ConfigTable: ConfigOptionReading {
    public func configValue(forKey key: String) -> ConfigValue? { self[key] }
}

extension ConfigValue {
    /// Integer or float seconds, or a duration string; nil when not a valid duration.
    public var durationValue: Duration? { try? durationResult.get() }

    /// Integer bytes or a byte-size string; nil when not a valid size.
    public var byteSizeValue: Int? { try? byteSizeResult.get() }

    var durationResult: Result<Duration, ConfigUnitError> {
        switch content {
        case .integer(let seconds): return DurationText.duration(seconds: Double(seconds))
        case .double(let seconds): return DurationText.duration(seconds: seconds)
        case .string(let text): return DurationText.parse(text)
        default: return .failure(ConfigUnitError("not a number or a string"))
        }
    }

    var byteSizeResult: Result<Int, ConfigUnitError> {
        switch content {
        case .integer(let bytes): return ByteSizeText.bytes(Double(bytes))
        case .string(let text): return ByteSizeText.parse(text)
        default: return .failure(ConfigUnitError("not an integer or a string"))
        }
    }
}
