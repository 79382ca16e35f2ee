/// A parsed HTTP/1.1 response, as the raw test client saw it.
struct RawResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    static func parseHead(_ bytes: [UInt8]) -> RawResponse? {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return RawResponse(status: status, headers: headers)
    }

    /// The response and the bytes it used, or nil when more bytes are needed.
    static func parse(_ bytes: [UInt8], closed: Bool, headRequest: Bool = false) -> (RawResponse, Int)? {
        guard let end = headEnd(bytes), var response = parseHead(Array(bytes[..<end])) else { return nil }
        if headRequest || response.status == 204 || response.status == 304 { return (response, end) }
        if let length = response.header("content-length").flatMap(Int.init) {
            guard bytes.count - end >= length else { return nil }
            response.body = Array(bytes[end..<(end + length)])
            return (response, end + length)
        }
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            var index = end
            var body: [UInt8] = []
            while true {
                guard let lineEnd = findCRLF(bytes, from: index) else { return nil }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
                index = lineEnd + 2
                if size == 0 {
                    guard let trailerEnd = findCRLF(bytes, from: index) else { return nil }
                    response.body = body
                    return (response, trailerEnd + 2)
                }
                guard bytes.count >= index + size + 2 else { return nil }
                body += bytes[index..<(index + size)]
                index += size + 2
            }
        }
        guard closed else { return nil }
        response.body = Array(bytes[end...])
        return (response, bytes.count)
    }

    private static func findCRLF(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

import Foundation
