import CCurl
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// libcurl's multi interface driven by one dedicated thread: every transfer of a client runs
/// there, never on Swift's cooperative pool (whose two threads here must not block in epoll).
///
/// It uses libcurl's socket interface with epoll, so a wakeup costs in proportion to the sockets
/// that have data, not to the number of transfers: with `curl_multi_perform` every wakeup looked
/// at every transfer, which made 100 quiet log streams cost 10,000 polls a second.
/// Other threads talk to the loop only through the command queue and an eventfd.
final class CurlMultiLoop: Sendable {
    enum Command: Sendable {
        case add(CurlTransfer)
        case unpause(UInt64)
        case cancel(UInt64)
        case stop
    }

    private let wakeup: Int32
    private let commands = Mutex<(queue: [Command], stopped: Bool)>(([], false))

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    init(name: String) {
        _ = Self.globalInit
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.start()
    }

    /// Queues a command and wakes the loop; false when the loop has stopped.
    @discardableResult
    func send(_ command: Command) -> Bool {
        // Written under the lock: the loop closes the eventfd only after taking the lock and
        // seeing `.stop`, so the descriptor is open for every write.
        commands.withLock { state -> Bool in
            guard !state.stopped else { return false }
            if case .stop = command { state.stopped = true }
            state.queue.append(command)
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
            return true
        }
    }

    private func run() {
        guard let multi = curl_multi_init() else { return }
        let watch = CurlSocketWatch(wakeup: wakeup)
        let context = Unmanaged.passRetained(watch)
        defer { context.release() }
        runnel_curl_multi_setopt_socket_function(multi) { _, socket, what, user, _ in
            guard let user else { return -1 }
            Unmanaged<CurlSocketWatch>.fromOpaque(user).takeUnretainedValue().watch(socket, what: what)
            return 0
        }
        runnel_curl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, context.toOpaque())
        runnel_curl_multi_setopt_timer_function(multi) { _, milliseconds, user in
            guard let user else { return -1 }
            Unmanaged<CurlSocketWatch>.fromOpaque(user).takeUnretainedValue().setTimer(milliseconds)
            return 0
        }
        runnel_curl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, context.toOpaque())

        var active: [UInt64: CurlEasyHandle] = [:]
        var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
        var stopping = false
        var running: Int32 = 0

        func remove(_ id: UInt64, result: Result<Void, HTTPClientError>?) {
            guard let easy = active.removeValue(forKey: id) else { return }
            byHandle[easy.handle] = nil
            curl_multi_remove_handle(multi, easy.handle)
            easy.transfer.complete(result ?? .failure(HTTPClientError(.cancelled, url: easy.transfer.request.url,
                                                                         message: "request cancelled")),
                                   status: easy.responseCode)
            easy.cleanup()
        }

        func collectFinished() {
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let id = byHandle[handle], let easy = active[id] else { continue }
                let code = runnel_curl_msg_result(message)
                remove(id, result: code == CURLE_OK ? .success(()) : .failure(easy.error(for: code)))
            }
        }

        var events = [epoll_event](repeating: epoll_event(), count: 64)
        var lastSocketEvent = ContinuousClock.now
        var busy = false
        while true {
            let pending = commands.withLock { state -> [Command] in
                defer { state.queue.removeAll() }
                return state.queue
            }
            for command in pending {
                switch command {
                case .add(let transfer):
                    if stopping || transfer.isCancelled {
                        transfer.complete(.failure(HTTPClientError(stopping ? .clientStopped : .cancelled,
                                                                   url: transfer.request.url, message: "not started")), status: 0)
                        continue
                    }
                    do {
                        let easy = try CurlEasyHandle(transfer: transfer)
                        active[transfer.id] = easy
                        byHandle[easy.handle] = transfer.id
                        curl_multi_add_handle(multi, easy.handle)
                    } catch {
                        transfer.complete(.failure(error), status: 0)
                    }
                case .unpause(let id):
                    // May call the write callback right away with the chunk libcurl held back.
                    if let easy = active[id] { curl_easy_pause(easy.handle, CURLPAUSE_CONT) }
                case .cancel(let id):
                    remove(id, result: nil)
                case .stop:
                    stopping = true
                    for id in Array(active.keys) {
                        remove(id, result: .failure(HTTPClientError(.clientStopped, url: active[id]?.transfer.request.url ?? "",
                                                                    message: "HTTP client stopped")))
                    }
                }
            }
            if stopping { break }
            collectFinished()

            // A busy stream (a followed log that dockerd writes a line at a time) would wake this
            // thread for every few lines. While sockets keep having data less than a millisecond
            // apart, waiting a millisecond first lets each read take many lines at once; quiet
            // transfers are never delayed.
            if busy {
                usleep(1000)
                busy = false
            }
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(watch.epoll, buffer.baseAddress, Int32(buffer.count), watch.waitMilliseconds(limit: 1000))
            }
            for index in 0..<max(0, Int(count)) {
                let socket = events[index].data.fd
                if socket == wakeup {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeup, &value, 8)
                    continue
                }
                let flags = events[index].events
                // Only incoming data is worth gathering; a socket ready for more of an upload
                // (a bulk request body) is served at once.
                if flags & EPOLLOUT.rawValue == 0 {
                    let now = ContinuousClock.now
                    busy = busy || now - lastSocketEvent < .milliseconds(1)
                    lastSocketEvent = now
                }
                var action: Int32 = 0
                if flags & EPOLLIN.rawValue != 0 { action |= CURL_CSELECT_IN }
                if flags & EPOLLOUT.rawValue != 0 { action |= CURL_CSELECT_OUT }
                if flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { action |= CURL_CSELECT_ERR }
                curl_multi_socket_action(multi, socket, action, &running)
            }
            if watch.timerExpired() {
                curl_multi_socket_action(multi, -1 /* CURL_SOCKET_TIMEOUT */, 0, &running)
            }
            collectFinished()
        }
        curl_multi_cleanup(multi)
        close(watch.epoll)
        _ = commands.withLock { _ in close(wakeup) }
    }
}

/// The loop thread's view of what libcurl wants watched: its sockets in an epoll set (with the
/// wakeup eventfd) and its one timer. Only the loop thread touches it, inside libcurl callbacks.
final class CurlSocketWatch {
    let epoll: Int32
    private var registered: Set<Int32> = []
    private var due: ContinuousClock.Instant?

    init(wakeup: Int32) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
    }

    /// libcurl's socket callback: watch `socket` for `what` (CURL_POLL_IN, _OUT, _INOUT, _REMOVE).
    func watch(_ socket: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE {
            if registered.remove(socket) != nil { epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil) }
            return
        }
        var event = epoll_event()
        event.events = (what & CURL_POLL_IN != 0 ? EPOLLIN.rawValue : 0) | (what & CURL_POLL_OUT != 0 ? EPOLLOUT.rawValue : 0)
        event.data.fd = socket
        let operation = registered.insert(socket).inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        epoll_ctl(epoll, operation, socket, &event)
    }

    /// libcurl's timer callback: -1 cancels the timer, 0 means now.
    func setTimer(_ milliseconds: Int) {
        due = milliseconds < 0 ? nil : ContinuousClock.now + .milliseconds(milliseconds)
    }

    /// How long epoll may wait: until libcurl's timer, at most `limit`.
    func waitMilliseconds(limit: Int) -> Int32 {
        guard let due else { return Int32(limit) }
        let left = due - ContinuousClock.now
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(min(Int64(limit), seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1))
    }

    /// True (once) when libcurl's timer has run out.
    func timerExpired() -> Bool {
        guard let due, ContinuousClock.now >= due else { return false }
        self.due = nil
        return true
    }
}
