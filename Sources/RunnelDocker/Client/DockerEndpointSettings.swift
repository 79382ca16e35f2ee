import RunnelHTTP

/// Where the Docker Engine API is, resolved as the Docker CLI does: the configured `endpoint`,
/// else `DOCKER_HOST`, else `unix:///var/run/docker.sock`; TLS files (`ca.pem`, `cert.pem`,
/// `key.pem`) from `cert_path`, else `DOCKER_CERT_PATH`.
public enum DockerEndpointSettings {
    public static let defaultEndpoint = "unix:///var/run/docker.sock"

    public static func resolve(endpoint: String?, certPath: String?,
                               environment: [String: String]) throws(HTTPEndpoint.ParseError) -> HTTPEndpoint {
        let address = nonEmpty(endpoint) ?? nonEmpty(environment["DOCKER_HOST"]) ?? defaultEndpoint
        let folder = nonEmpty(certPath) ?? nonEmpty(environment["DOCKER_CERT_PATH"])
        // TLS only concerns TCP; a unix socket ignores the certificate folder.
        let tls = folder.flatMap { folder -> TLSOptions? in
            guard !address.hasPrefix("unix:") else { return nil }
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            return TLSOptions(caFile: base + "/ca.pem", certificateFile: base + "/cert.pem", keyFile: base + "/key.pem")
        }
        return try HTTPEndpoint(parsing: address, tls: tls)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
