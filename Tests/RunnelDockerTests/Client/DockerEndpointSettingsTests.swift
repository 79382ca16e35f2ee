import Testing
import RunnelHTTP
@testable import RunnelDocker

@Suite struct DockerEndpointSettingsTests {
    @Test func defaultIsTheSystemSocket() throws {
        let endpoint = try DockerEndpointSettings.resolve(endpoint: nil, certPath: nil, environment: [:])
        #expect(endpoint.unixSocketPath == "/var/run/docker.sock")
    }

    @Test func dockerHostWhenNoEndpointIsConfigured() throws {
        let env = ["DOCKER_HOST": "tcp://10.1.2.3:2375"]
        #expect(try DockerEndpointSettings.resolve(endpoint: nil, certPath: nil, environment: env).baseURL == "http://10.1.2.3:2375")
        #expect(try DockerEndpointSettings.resolve(endpoint: "unix:///run/d.sock", certPath: nil, environment: env).unixSocketPath == "/run/d.sock")
    }

    @Test func certPathMeansTLSWithDockersFileNames() throws {
        let endpoint = try DockerEndpointSettings.resolve(endpoint: "tcp://h:2376", certPath: "/etc/docker/certs/", environment: [:])
        #expect(endpoint.baseURL == "https://h:2376")
        #expect(endpoint.tls == TLSOptions(caFile: "/etc/docker/certs/ca.pem", certificateFile: "/etc/docker/certs/cert.pem",
                                          keyFile: "/etc/docker/certs/key.pem"))
        let fromEnv = try DockerEndpointSettings.resolve(endpoint: nil, certPath: nil,
                                                         environment: ["DOCKER_HOST": "tcp://h:2376", "DOCKER_CERT_PATH": "/c"])
        #expect(fromEnv.tls.caFile == "/c/ca.pem")
    }

    @Test func badEndpointIsAnError() {
        #expect(throws: HTTPEndpoint.ParseError.self) { try DockerEndpointSettings.resolve(endpoint: "docker.sock", certPath: nil, environment: [:]) }
    }
}
