import Foundation
import NIOCore
import RunnelCore

/// `GET /status`: Slardar's (lua-resty-checkups) shape, one `cls:<upstream>` key per upstream
/// holding its levels as arrays of servers with `server`, `status`, `msg`, `lastmodified` and
/// `fail_num`, plus Runnel's extra per-server fields.
enum StatusDocument {
    static func render(pools: [UpstreamPool], accessLog: AccessLogSink.Counters?, at now: NIODeadline = .now()) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 4096)
        writer.beginObject()
        writer.key("checkup_timer_alive")
        writer.bool(true)
        if let accessLog {
            writer.key("access_log")
            writer.beginObject()
            writer.member("written", accessLog.written)
            writer.member("dropped", accessLog.dropped)
            writer.member("buffered", accessLog.buffered)
            if let error = accessLog.lastError {
                writer.member("last_error", error)
            }
            writer.endObject()
        }
        for pool in pools.sorted(by: { $0.name < $1.name }) {
            writer.key("cls:" + pool.name)
            writer.beginArray()
            for level in pool.levels {
                writer.beginArray()
                for server in level { writeServer(server, upstream: pool.name, into: &writer, now: now) }
                writer.endArray()
            }
            writer.endArray()
        }
        writer.key("panic")
        writer.beginArray()
        for pool in pools where pool.isInPanic(at: now) { writer.string(pool.name) }
        writer.endArray()
        writer.endObject()
        writer.lineBreak()
        return writer.bytes
    }

    private static func writeServer(_ server: UpstreamServer, upstream: String, into writer: inout JSONWriter, now: NIODeadline) {
        let state = server.state.withLock { $0 }
        let minute = state.lastMinute.totals(at: now)
        writer.beginObject()
        writer.member("server", upstream + ":" + server.address)
        writer.member("status", state.statusName(at: now))
        writer.member("msg", state.reason)
        writer.member("lastmodified", state.lastChange.ISO8601Format())
        writer.member("fail_num", max(state.activeFailures, state.consecutiveGatewayFailures))
        writer.member("weight", server.spec.weight)
        writer.member("consecutive_5xx", state.consecutive5xx)
        writer.member("consecutive_gateway_failures", state.consecutiveGatewayFailures)
        writer.member("times_ejected", state.timesEjected)
        writer.member("ejected_until", state.isEjected(at: now) ? state.ejectedUntilWall?.ISO8601Format() : nil)
        writer.member("active_requests", server.activeRequests.load(ordering: .relaxed))
        writer.member("requests_last_minute", minute.requests)
        writer.member("5xx_last_minute", minute.errors)
        writer.endObject()
    }
}
