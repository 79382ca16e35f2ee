import Foundation
import Testing
@testable import RunnelRouter
import RunnelTestSupport

@Suite struct UpstreamModelTests {
    private let a = ServerSpec(host: "10.0.0.1", port: 80)
    private let b = ServerSpec(host: "10.0.0.2", port: 80)
    private let backup = ServerSpec(host: "10.0.1.1", port: 80)

    @Test func mergeReplacesAServerWhereverItIsAndAddsNewOnesToTheFirstLevel() {
        var spec = UpstreamSpec(name: "app", levels: [[a], [backup]])
        var heavierBackup = backup
        heavierBackup.weight = 5
        spec.merge([heavierBackup, b])
        #expect(spec.levels == [[a, b], [heavierBackup]])
    }

    @Test func removingTheLastServerOfALevelDropsTheLevel() {
        var spec = UpstreamSpec(name: "app", levels: [[a, b], [backup]])
        spec.remove(addresses: [backup.address, a.address])
        #expect(spec.levels == [[b]])
    }

    @Test func ipv6AddressesAreBracketed() {
        #expect(ServerSpec(host: "::1", port: 8080).address == "[::1]:8080")
        #expect(BindAddress.parse("[::1]:1995") == BindAddress(host: "::1", port: 1995))
        #expect(BindAddress.parse("no-port") == nil && BindAddress.parse("h:70000") == nil)
    }

    @Test func stateFileRoundTripsUpstreamsBalancersAndDeletions() throws {
        let scratch = try ScratchFolder()
        let directory = scratch.url.path
        var state = UpstreamStateFile()
        state.upstreams["app"] = UpstreamSpec(name: "app", levels: [[a], [backup]], balancer: .hash(.cookie("sid")))
        state.deleted = ["old"]
        try state.save(directory: directory)
        let loaded = try UpstreamStateFile.load(directory: directory).get()
        #expect(loaded.upstreams["app"] == state.upstreams["app"])
        #expect(loaded.deleted == ["old"])
    }

    @Test func aCorruptStateFileIsAnErrorNotAnEmptyState() throws {
        let scratch = try ScratchFolder()
        let directory = scratch.url.path
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: UpstreamStateFile.path(in: directory)))
        guard case .failure(let problem) = UpstreamStateFile.load(directory: directory) else {
            Issue.record("a corrupt file loaded")
            return
        }
        #expect(problem.message.contains("is not JSON"))
    }

    @Test func apiBodiesAreReadInBothForms() {
        #expect(UpstreamJSON.parseChange(Array(#"{"servers":[{"host":"10.0.0.1","port":80}]}"#.utf8)) == .success(.merge([a], nil)))
        #expect(UpstreamJSON.parseChange(Array(#"{"cluster":[{"servers":[{"host":"10.0.0.1","port":80}]},{"servers":[]}],"balancer":"least_request"}"#.utf8))
                == .success(.replace([[a]], .leastRequest)))
        #expect(UpstreamJSON.parseChange(Array(#"{"servers":[{"host":"10.0.0.1","port":80,"wieght":2}]}"#.utf8))
                == .failure(UpstreamJSON.Problem(message: "unknown server field 'wieght'; did you mean 'weight'?")))
    }
}
