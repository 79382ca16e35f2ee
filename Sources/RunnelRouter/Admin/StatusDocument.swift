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
            writer.key("written")
            writer.integer(accessLog.written)
            writer.key("dropped")
            writer.integer(accessLog.dropped)
            writer.key("buffered")
            writer.integer(accessLog.buffered)
            if let error = accessLog.lastError {
                writer.key("last_error")
                writer.string(error)
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
        writer.key("server")
        writer.string(upstream + ":" + server.address)
        writer.key("status")
        writer.string(state.statusName(at: now))
        writer.key("msg")
        if let reason = state.reason { writer.string(reason) } else { writer.null() }
        writer.key("lastmodified")
        writer.string(state.lastChange.ISO8601Format())
        writer.key("fail_num")
        writer.integer(max(state.activeFailures, state.consecutiveGatewayFailures))
        writer.key("weight")
        writer.integer(server.spec.weight)
        writer.key("consecutive_5xx")
        writer.integer(state.consecutive5xx)
        writer.key("consecutive_gateway_failures")
        writer.integer(state.consecutiveGatewayFailures)
        writer.key("times_ejected")
        writer.integer(state.timesEjected)
        writer.key("ejected_until")
        if state.isEjected(at: now), let until = state.ejectedUntilWall { writer.string(until.ISO8601Format()) } else { writer.null() }
        writer.key("active_requests")
        writer.integer(server.activeRequests.load(ordering: .relaxed))
        writer.key("requests_last_minute")
        writer.integer(minute.requests)
        writer.key("5xx_last_minute")
        writer.integer(minute.errors)
        writer.endObject()
    }
}
