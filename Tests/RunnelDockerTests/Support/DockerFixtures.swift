import Foundation
import Testing

/// The captured Docker Engine API responses in the shared folder: `RUNNEL_SHARED_DIR`, else the
/// nearest `shared/fixtures` beside the repository or one of its parents (a worktree sits deeper
/// than the main checkout). Missing fixtures fail the test.
enum DockerFixtures {
    static func folder() throws -> URL {
        if let shared = ProcessInfo.processInfo.environment["RUNNEL_SHARED_DIR"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("fixtures")
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate }
            directory.deleteLastPathComponent()
        }
        Issue.record("shared/fixtures not found above \(#filePath); set RUNNEL_SHARED_DIR")
        throw FixtureMissing()
    }

    struct FixtureMissing: Error {}

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try folder().appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "fixture \(url.path) is missing")
        return [UInt8](data)
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }
}

/// Builds Docker log bodies the way dockerd writes them.
enum DockerLogBytes {
    static let stamp = "2026-11-25T20:03:58.926614366Z"

    /// One multiplexed frame.
    static func frame(_ stream: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + payload
    }

    static func frame(_ stream: UInt8, _ text: String) -> [UInt8] { frame(stream, Array(text.utf8)) }

    /// `count` frames alternating stdout and stderr, each "<stamp> <stream> <n>\n" with distinct stamps.
    static func numbered(_ count: Int, base: Int64 = 1_795_637_038_000_000_000) -> [UInt8] {
        var body: [UInt8] = []
        for index in 0..<count {
            let stream: UInt8 = index % 2 == 0 ? 1 : 2
            body += frame(stream, "\(format(base + Int64(index) * 1000)) line \(index)\n")
        }
        return body
    }

    static func format(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        let nanos = nanoseconds % 1_000_000_000
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(nanos))
    }
}
