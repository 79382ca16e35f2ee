import RunnelHTTP

/// Bearer-token check for the admin API.
enum AdminAuth {
    /// Constant-time comparison of `Authorization: Bearer <token>`; no token configured means no access.
    static func isAuthorized(_ request: HTTPRequest, token: String?) -> Bool {
        guard let token, !token.isEmpty, let header = request.header("authorization"), header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst(7).utf8), expected = Array(token.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in given.indices { difference |= given[index] ^ expected[index] }
        return difference == 0
    }
}
