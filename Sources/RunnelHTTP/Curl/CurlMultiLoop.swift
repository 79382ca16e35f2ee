import CCurl
import Foundation
import Synchronization

/// libcurl's multi interface driven by one dedicated thread: every transfer of a client runs
/// there, never on Swift's cooperative pool (whose two threads here must not block in poll).
/// Other threads talk to it only through the command queue and `curl_multi_wakeup`, the one
/// multi function libcurl documents as callable from any thread.
final class CurlMultiLoop: Sendable {
    enum Command: Sendable {
        case add(CurlTransfer)
        case unpause(UInt64)
        case cancel(UInt64)
        case stop
    }

    /// The multi handle, used by the loop thread and, for `curl_multi_wakeup` only, by others.
    private struct MultiHandle: @unchecked Sendable {
        // Safe to share: every call but curl_multi_wakeup happens on the loop thread.
        let pointer: UnsafeMutableRawPointer
    }

    private let multi: MultiHandle
    private let commands = Mutex<(queue: [Command], stopped: Bool)>(([], false))
    private let finished = Mutex<Bool>(false)

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    init(name: String) {
        _ = Self.globalInit
        multi = MultiHandle(pointer: curl_multi_init())
        let multi = multi
        let thread = Thread { [self] in
            self.run(multi.pointer)
        }
        thread.name = name
        thread.start()
    }

    /// Queues a command and wakes the loop; false when the loop has stopped.
    @discardableResult
    func send(_ command: Command) -> Bool {
        // Waking under the lock: the loop frees the multi handle only after taking the lock and
        // seeing `.stop`, so the handle is alive for every wakeup.
        commands.withLock { state -> Bool in
            guard !state.stopped else { return false }
            if case .stop = command { state.stopped = true }
            state.queue.append(command)
            curl_multi_wakeup(multi.pointer)
            return true
        }
    }

    private func run(_ multi: UnsafeMutableRawPointer) {
        var active: [UInt64: CurlEasyHandle] = [:]
        var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
        var stopping = false

        func remove(_ id: UInt64, result: Result<Void, HTTPClientError>?) {
            guard let easy = active.removeValue(forKey: id) else { return }
            byHandle[easy.handle] = nil
            curl_multi_remove_handle(multi, easy.handle)
            easy.transfer.complete(result ?? .failure(HTTPClientError(.cancelled, url: easy.transfer.request.url,
                                                                         message: "request cancelled")),
                                   status: easy.responseCode)
            easy.cleanup()
        }

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

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let id = byHandle[handle], let easy = active[id] else { continue }
                let code = runnel_curl_msg_result(message)
                remove(id, result: code == CURLE_OK ? .success(()) : .failure(easy.error(for: code)))
            }
            // Waits for socket activity, libcurl's own timers, or a wakeup from send(_:).
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
        finished.withLock { $0 = true }
    }

    var hasFinished: Bool { finished.withLock { $0 } }
}
