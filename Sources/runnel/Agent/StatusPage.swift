import Foundation
import RunnelCore

/// The human status page at `/`: one table of every plugin's counters, refreshed every 5 s.
enum StatusPage {
    static func render(_ status: AgentStatus) -> String {
        var rows = ""
        for plugin in status.plugins {
            let dropped = plugin.counters.dropped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            let queue = plugin.queueBytes.map { "\($0) B" } ?? ""
            let ledger = plugin.ledger.map { "read \($0.read), delivered \($0.delivered), unmatched \($0.unmatched), in flight \($0.inFlight)" } ?? ""
            rows += "<tr><td>\(escape(plugin.name))</td><td>\(escape(plugin.typeName))</td><td>\(plugin.counters.received)</td>"
                + "<td>\(plugin.counters.delivered)</td><td>\(escape(dropped))</td><td>\(queue)</td><td>\(plugin.counters.restarts)</td>"
                + "<td>\(escape(ledger))</td></tr>\n"
        }
        let uptime = (status.now - status.startedAt) / 1_000_000_000
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>runnel on \(escape(status.hostname))</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>
            </head><body>
            <h1>runnel \(escape(status.version)) on \(escape(status.hostname))</h1>
            <p>up \(uptime) s · <a href="/status">/status</a> · <a href="/metrics">/metrics</a></p>
            <table><tr><th>plugin</th><th>type</th><th>received</th><th>delivered</th><th>dropped</th><th>queued</th><th>restarts</th><th>ledger</th></tr>
            \(rows)</table>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
