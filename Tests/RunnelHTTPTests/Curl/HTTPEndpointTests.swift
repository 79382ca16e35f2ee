import Testing
import RunnelHTTP

@Suite struct HTTPEndpointTests {
    @Test func unixSocketEndpoint() throws {
        let endpoint = try HTTPEndpoint(parsing: "unix:///var/run/docker.sock")
        #expect(endpoint.unixSocketPath == "/var/run/docker.sock")
        #expect(endpoint.baseURL == "http://localhost")
        #expect(endpoint.request(path: "/v1.41/version").url == "http://localhost/v1.41/version")
    }

    @Test func tcpIsHTTPUnlessTLSIsGiven() throws {
        #expect(try HTTPEndpoint(parsing: "tcp://10.0.0.1:2375").baseURL == "http://10.0.0.1:2375")
        let tls = TLSOptions(caFile: "/c/ca.pem", certificateFile: "/c/cert.pem", keyFile: "/c/key.pem")
        let secure = try HTTPEndpoint(parsing: "tcp://docker.example:2376", tls: tls)
        #expect(secure.baseURL == "https://docker.example:2376")
        #expect(secure.request(path: "/x").tls == tls)
        #expect(try HTTPEndpoint(parsing: "https://h:1/ignored").baseURL == "https://h:1")
    }

    @Test(arguments: ["", "docker.sock", "unix://relative.sock", "ftp://h:1", "tcp://", "tcp://user:pw@h:1",
                      "unix:///" + String(repeating: "a", count: 120)])
    func invalidEndpointsAreRejected(_ text: String) {
        #expect(throws: HTTPEndpoint.ParseError.self) { try HTTPEndpoint(parsing: text) }
    }
}
