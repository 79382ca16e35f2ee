import RunnelCore
import RunnelHTTP

/// A streamed response of one JSON document per line (`/events`, `/stats?stream=1`), decoded
/// as the chunks arrive. A line longer than `maxLineBytes` is an error, so a broken peer cannot
/// make it buffer without bound.
public final class DockerJSONLines<Element: Sendable>: Sendable, AsyncSequence {
    public typealias Failure = any Error

    private let response: HTTPClientResponse
    private let request: String
    private let maxLineBytes: Int
    private let decode: @Sendable (JSONValue) throws(DockerDecodingError) -> Element

    init(response: HTTPClientResponse, request: String, maxLineBytes: Int = 1 << 20,
         decode: @escaping @Sendable (JSONValue) throws(DockerDecodingError) -> Element) {
        self.response = response
        self.request = request
        self.maxLineBytes = maxLineBytes
        self.decode = decode
    }

    /// Stops the stream.
    public func cancel() { response.cancel() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let lines: DockerJSONLines
        var buffer: [UInt8] = []
        var start = 0
        var ended = false

        /// The next document; nil when the server ended the stream. Throws `DockerAPIError`.
        public mutating func next() async throws -> Element? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = buffer[start..<newline]
                    start = newline + 1
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                    return try decodeLine(line)
                }
                if start > 0 {
                    buffer.removeFirst(start)
                    start = 0
                }
                guard buffer.count <= lines.maxLineBytes else {
                    lines.cancel()
                    throw DockerAPIError(.invalidResponse, request: lines.request,
                                         message: "a JSON line longer than \(lines.maxLineBytes) bytes")
                }
                if ended {
                    guard !buffer.isEmpty else { return nil }
                    let rest = buffer[...]
                    buffer = []
                    return try decodeLine(rest)
                }
                do {
                    if let chunk = try await lines.response.nextChunk() {
                        buffer += chunk
                    } else {
                        ended = true
                    }
                } catch {
                    throw DockerAPIError.from(error, request: lines.request)
                }
            }
        }

        private func decodeLine(_ line: ArraySlice<UInt8>) throws -> Element {
            do {
                return try lines.decode(try JSONReader.parse(line))
            } catch let error as JSONError {
                throw DockerAPIError(.invalidResponse, request: lines.request, message: "bad JSON: \(error)")
            } catch {
                throw DockerAPIError(.invalidResponse, request: lines.request, message: "\(error)")
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(lines: self) }
}
