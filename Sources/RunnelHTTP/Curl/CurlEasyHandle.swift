import CCurl

/// libcurl's easy handle for one transfer, configured from its request. Lives on the loop thread
/// only: libcurl handles are not thread-safe.
final class CurlEasyHandle {
    let handle: UnsafeMutableRawPointer
    let transfer: CurlTransfer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed error message here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Keeps the transfer alive while libcurl holds a raw pointer to it as callback data.
    private let unmanagedTransfer: Unmanaged<CurlTransfer>

    init(transfer: CurlTransfer) throws(HTTPClientError) {
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(.invalidRequest, url: transfer.request.url, message: "curl_easy_init failed")
        }
        self.handle = handle
        self.transfer = transfer
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        unmanagedTransfer = Unmanaged.passRetained(transfer)
        do {
            try configure()
        } catch {
            cleanup()
            throw error
        }
    }

    /// Where an empty body points: libcurl wants a pointer even for zero bytes (constant data).
    private static let emptyBody: StaticString = ""

    private func configure() throws(HTTPClientError) {
        let request = transfer.request
        var failed: (String, CURLcode)?
        func check(_ code: CURLcode, _ what: String) {
            if code != CURLE_OK && failed == nil { failed = (what, code) }
        }
        func setString(_ option: CURLoption, _ value: String, _ what: String) {
            // libcurl copies string options, so a temporary C string is enough.
            check(value.withCString { runnel_curl_easy_setopt_string(handle, option, $0) }, what)
        }
        func setLong(_ option: CURLoption, _ value: Int, _ what: String) {
            check(runnel_curl_easy_setopt_long(handle, option, value), what)
        }

        setString(CURLOPT_URL, request.url, "url")
        if let socket = request.unixSocketPath { setString(CURLOPT_UNIX_SOCKET_PATH, socket, "unix socket path") }
        setLong(CURLOPT_NOSIGNAL, 1, "nosignal")
        setLong(CURLOPT_TCP_KEEPALIVE, 1, "keepalive")
        setLong(CURLOPT_BUFFERSIZE, 64 * 1024, "buffer size")
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout), "connect timeout")
        if let timeout = request.timeout {
            setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout), "timeout")
        }
        check(runnel_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        switch request.httpVersion {
        case .automatic: break
        case .http1_1: setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, "HTTP version")
        case .http2: setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_0, "HTTP version")
        case .http2PriorKnowledge: setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, "HTTP version")
        }
        if request.forbidConnectionReuse {
            setLong(CURLOPT_FRESH_CONNECT, 1, "fresh connect")
            setLong(CURLOPT_FORBID_REUSE, 1, "forbid reuse")
        }

        if request.url.lowercased().hasPrefix("https:") {
            if let ca = request.tls.caFile { setString(CURLOPT_CAINFO, ca, "CA file") }
            if let certificate = request.tls.certificateFile { setString(CURLOPT_SSLCERT, certificate, "client certificate") }
            if let key = request.tls.keyFile { setString(CURLOPT_SSLKEY, key, "client key") }
            setLong(CURLOPT_SSL_VERIFYPEER, request.tls.verifyPeer ? 1 : 0, "verify peer")
            setLong(CURLOPT_SSL_VERIFYHOST, request.tls.verifyHost ? 2 : 0, "verify host")
        }

        let method = request.method.uppercased()
        if let body = request.body {
            // Large bodies (bulk requests) go out in larger writes than libcurl's 64 KiB default.
            if body.count > 256 << 10 { setLong(CURLOPT_UPLOAD_BUFFERSIZE, 1 << 20, "upload buffer size") }
            check(runnel_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            // libcurl reads the body in place (POSTFIELDS, no copy of a multi-MiB bulk body): the
            // bytes belong to `transfer.request`, a constant of the transfer this handle retains
            // until `cleanup()`, so the array's storage is neither freed nor moved while libcurl
            // may read it (an array that is never mutated keeps its storage where it is).
            check(body.withUnsafeBytes { raw in
                runnel_curl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(Self.emptyBody.utf8Start)))
            }, "body")
            if method != "POST" { setString(CURLOPT_CUSTOMREQUEST, method, "method") }
        } else if method == "HEAD" {
            setLong(CURLOPT_NOBODY, 1, "head")
        } else if method != "GET" {
            setString(CURLOPT_CUSTOMREQUEST, method, "method")
        } else {
            setLong(CURLOPT_HTTPGET, 1, "get")
        }

        // No "Expect: 100-continue" round trip for bodies.
        var headers = request.headers.map { "\($0.name): \($0.value)" }
        let named = Set(request.headers.map { $0.name.lowercased() })
        if request.body != nil && !named.contains("expect") { headers.append("Expect:") }
        // libcurl would label a body as a form; without a type given, it goes unlabelled.
        if request.body != nil && !named.contains("content-type") { headers.append("Content-Type:") }
        for line in headers {
            guard !line.contains("\r") && !line.contains("\n") else {
                failed = failed ?? ("header '\(line.prefix(40))' holds a line break", CURLE_BAD_FUNCTION_ARGUMENT)
                continue
            }
            guard let appended = line.withCString({ curl_slist_append(headerList, $0) }) else {
                failed = failed ?? ("header list", CURLE_OUT_OF_MEMORY)
                continue
            }
            headerList = appended
        }
        if let headerList { check(runnel_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "headers") }

        let user = unmanagedTransfer.toOpaque()
        check(runnel_curl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            guard let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }, "write callback")
        check(runnel_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, user), "write data")
        check(runnel_curl_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            guard let user else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }, "header callback")
        check(runnel_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, user), "header data")

        if let (what, code) = failed {
            throw HTTPClientError(.invalidRequest, url: request.url,
                                  message: "cannot set \(what): \(String(cString: curl_easy_strerror(code)))",
                                  curlCode: Int32(code.rawValue))
        }
    }

    /// Whole milliseconds, at least 1 (libcurl reads 0 as "no limit").
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue + attoseconds / 1_000_000_000_000_000))
    }

    /// The response status libcurl saw (0 when none).
    var responseCode: Int {
        var code = 0
        _ = runnel_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The failure for a finished transfer's `CURLcode`, classified.
    func error(for code: CURLcode) -> HTTPClientError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: HTTPClientError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT: kind = .invalidRequest
        default: kind = .transfer
        }
        return HTTPClientError(kind, url: transfer.request.url, message: message, curlCode: Int32(code.rawValue))
    }

    func cleanup() {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        errorBuffer.deallocate()
        unmanagedTransfer.release()
    }
}
