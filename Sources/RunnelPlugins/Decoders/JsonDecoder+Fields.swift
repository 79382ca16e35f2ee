import RunnelCore

extension JsonDecoder {
    /// A JSON value that becomes one field value or one header value.
    enum Scalar {
        case string([UInt8])
        case integer(Int64)
        case double(Double)
        case bool(Bool)
    }

    /// Turns the members `JSONObjectWalker` hands over into fields and mapped header variables.
    struct FieldSink {
        let decoder: JsonDecoder
        let now: Int64

        func member(_ name: [UInt8], _ value: JSONMemberValue, into message: inout Message) throws(DecodeFailure) {
            switch value {
            case .string(let bytes): try scalar(.string(bytes), name: name, into: &message)
            case .integer(let number): try scalar(.integer(number), name: name, into: &message)
            case .double(let number): try scalar(.double(number), name: name, into: &message)
            case .bool(let flag): try scalar(.bool(flag), name: name, into: &message)
            case .null: return
            case .array(let elements):
                var path = name
                try array(elements, name: &path, into: &message)
            }
        }

        private func scalar(_ value: Scalar, name: [UInt8], into message: inout Message) throws(DecodeFailure) {
            let fieldName = ByteString(name)
            if !decoder.headerKeys.isEmpty, let header = decoder.headerKeys[fieldName] {
                try assign(value, to: header, name: name, in: &message)
                return
            }
            switch value {
            case .string(let bytes): message.fields.append(.string(fieldName, ByteString(bytes)))
            case .integer(let number): message.fields.append(.integer(fieldName, number))
            case .double(let number): message.fields.append(.double(fieldName, number))
            case .bool(let flag): message.fields.append(.bool(fieldName, flag))
            }
        }

        /// A value inside an array that is flattened by index.
        private func element(_ value: JSONValue, name: inout [UInt8], into message: inout Message) throws(DecodeFailure) {
            switch value {
            case .null: return
            case .string(let text): try scalar(.string(Array(text.utf8)), name: name, into: &message)
            case .integer(let number): try scalar(.integer(number), name: name, into: &message)
            case .double(let number): try scalar(.double(number), name: name, into: &message)
            case .bool(let flag): try scalar(.bool(flag), name: name, into: &message)
            case .array(let elements): try array(elements, name: &name, into: &message)
            case .object(let members):
                for member in members {
                    let mark = name.count
                    name += decoder.separator
                    name += member.key.utf8
                    try element(member.value, name: &name, into: &message)
                    name.removeSubrange(mark...)
                }
            }
        }

        /// One multi-value field when every element has one type (integers among doubles read as
        /// doubles), else each element flattened under its index.
        private func array(_ elements: [JSONValue], name: inout [UInt8], into message: inout Message) throws(DecodeFailure) {
            guard let values = Self.uniformValues(elements) else {
                for (index, value) in elements.enumerated() {
                    let mark = name.count
                    name += decoder.separator
                    name += String(index).utf8
                    try element(value, name: &name, into: &message)
                    name.removeSubrange(mark...)
                }
                return
            }
            message.fields.append(Field(name: ByteString(name), values: values))
        }

        static func uniformValues(_ elements: [JSONValue]) -> FieldValues? {
            guard let first = elements.first else { return nil }
            switch first {
            case .string:
                var strings: [ByteString] = []
                strings.reserveCapacity(elements.count)
                for element in elements {
                    guard case .string(let text) = element else { return nil }
                    strings.append(ByteString(text))
                }
                return .string(strings)
            case .bool:
                var flags: [Bool] = []
                for element in elements {
                    guard case .bool(let flag) = element else { return nil }
                    flags.append(flag)
                }
                return .bool(flags)
            case .integer, .double:
                var integers: [Int64] = []
                var doubles: [Double] = []
                var sawDouble = false
                for element in elements {
                    switch element {
                    case .integer(let number):
                        integers.append(number)
                        doubles.append(Double(number))
                    case .double(let number):
                        sawDouble = true
                        doubles.append(number)
                    default:
                        return nil
                    }
                }
                return sawDouble ? .double(doubles) : .integer(integers)
            case .null, .array, .object:
                return nil
            }
        }

        private func assign(_ value: Scalar, to header: Header, name: [UInt8], in message: inout Message) throws(DecodeFailure) {
            let key = String(decoding: name, as: UTF8.self)
            switch header {
            case .timestamp: message.timestamp = try timestamp(value, key: key)
            case .severity: message.severity = try severity(value, key: key)
            case .type: message.type = Self.text(value)
            case .payload: message.payload = Self.text(value)
            case .logger: message.logger = Self.text(value)
            case .hostname: message.hostname = Self.text(value)
            }
        }

        private func timestamp(_ value: Scalar, key: String) throws(DecodeFailure) -> Int64 {
            switch value {
            case .string(let bytes):
                do {
                    return try decoder.timestamps.read(bytes, now: now)
                } catch {
                    throw DecodeFailure("timestamp key '\(key)': \(error.reason)")
                }
            case .integer(let number):
                let unit = Self.nanoseconds(per: decoder.timestampUnit, magnitude: Double(number.magnitude))
                let (scaled, overflow) = number.multipliedReportingOverflow(by: unit)
                guard !overflow else { throw DecodeFailure("timestamp key '\(key)': \(number) is out of range") }
                return scaled
            case .double(let number):
                // Whole units and the fraction apart, so 1700000000.25 s is exact in nanoseconds.
                let unit = Self.nanoseconds(per: decoder.timestampUnit, magnitude: abs(number))
                let whole = number.rounded(.towardZero)
                guard whole.isFinite, abs(whole) * Double(unit) < 9.2e18 else {
                    throw DecodeFailure("timestamp key '\(key)': \(number) is out of range")
                }
                return Int64(whole) * unit + Int64(((number - whole) * Double(unit)).rounded())
            case .bool:
                throw DecodeFailure("timestamp key '\(key)' holds a boolean, not a string or a number")
            }
        }

        static func nanoseconds(per unit: TimestampUnit, magnitude: Double) -> Int64 {
            switch unit {
            case .s: 1_000_000_000
            case .ms: 1_000_000
            case .us: 1_000
            case .ns: 1
            case .auto: magnitude < 1e11 ? 1_000_000_000 : magnitude < 1e14 ? 1_000_000 : magnitude < 1e17 ? 1_000 : 1
            }
        }

        private func severity(_ value: Scalar, key: String) throws(DecodeFailure) -> Int32 {
            switch value {
            case .integer(let number):
                if let severity = Int32(exactly: number) { return severity }
            case .double(let number):
                if let severity = Int32(exactly: number) { return severity }
            case .string(let bytes):
                if let severity = decoder.severities.severity(bytes) { return severity }
            case .bool:
                break
            }
            throw DecodeFailure("severity key '\(key)' holds '\(textPreview(Self.text(value).bytes))', not a severity number or level name")
        }

        static func text(_ value: Scalar) -> ByteString {
            switch value {
            case .string(let bytes): ByteString(bytes)
            case .integer(let number): ByteString(String(number))
            case .double(let number): ByteString(String(number))
            case .bool(let flag): ByteString(flag ? "true" : "false")
            }
        }
    }
}
