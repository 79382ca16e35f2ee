import Synchronization

/// One destination of the router: a filter or output, its matcher and its queue.
public struct Route: Sendable {
    public let name: String
    public let matcher: MessageMatcher
    public let queue: BatchQueue
    public let counters: PluginCounters

    public init(name: String, matcher: MessageMatcher, queue: BatchQueue, counters: PluginCounters) {
        self.name = name
        self.matcher = matcher
        self.queue = queue
        self.counters = counters
    }
}

/// Sends each message of a batch to every filter and output whose matcher selects it (DESIGN §6).
///
/// Matching runs in the producer's task, batch at a time, so a destination only ever queues the
/// messages it wants and its queue bytes measure real work. The set of routes is swapped atomically
/// on reload; a batch already being routed finishes on the routes it started with.
public final class Router: Sendable {
    private let routes: Mutex<[Route]>
    private let taps = TapSet()

    public init(routes: [Route]) {
        self.routes = Mutex(routes)
    }

    public var currentRoutes: [Route] { routes.withLock { $0 } }

    public func replaceRoutes(_ newRoutes: [Route]) {
        routes.withLock { $0 = newRoutes }
    }

    /// Starts sampling live messages; `removeTap` ends the tap's stream.
    public func addTap(_ tap: MessageTap) { taps.add(tap) }

    public func removeTap(_ tap: MessageTap) { taps.remove(tap) }

    private func offerToTaps(_ messages: [Message], routes: [Route]) {
        for tap in taps.all {
            let pluginMatcher = tap.plugin.flatMap { name in routes.first { $0.name == name }?.matcher }
            if tap.plugin != nil && pluginMatcher == nil { continue }
            for message in messages where tap.matcher.matches(message) && (pluginMatcher?.matches(message) ?? true) {
                tap.offer(message)
            }
        }
    }

    /// Routes `messages`; `acknowledgement` (already holding the router's reference) is released
    /// when routing is done, so a batch nobody wanted settles at once.
    public func route(_ messages: [Message], acknowledgement: BatchAcknowledgement?, loopDepth: Int = 0) async {
        let routes = currentRoutes
        if !taps.isEmpty { offerToTaps(messages, routes: routes) }
        var wanted = [Bool](repeating: false, count: messages.count)
        for route in routes {
            // A part never exceeds half the queue, so the queue's byte bound holds even for a
            // batch larger than the whole queue (one message larger than that still goes alone).
            let partLimit = max(1, route.queue.capacityBytes / 2)
            let (chosen, sizes, total) = Self.select(messages, matcher: route.matcher, wanted: &wanted)
            // The common case, every message wanted and one part: the batch's own array goes
            // (no copy of each message).
            if chosen.count == messages.count && total <= partLimit {
                if !chosen.isEmpty {
                    await send(messages, origins: chosen, bytes: total, to: route, acknowledgement: acknowledgement, loopDepth: loopDepth)
                }
                continue
            }
            var selected: [Message] = []
            var origins: [Int] = []
            var bytes = 0
            for (index, size) in zip(chosen, sizes) {
                if !selected.isEmpty && bytes + size > partLimit {
                    await send(selected, origins: origins, bytes: bytes, to: route, acknowledgement: acknowledgement, loopDepth: loopDepth)
                    selected.removeAll(keepingCapacity: true)
                    origins.removeAll(keepingCapacity: true)
                    bytes = 0
                }
                selected.append(messages[index])
                origins.append(index)
                bytes += size
            }
            if !selected.isEmpty {
                await send(selected, origins: origins, bytes: bytes, to: route, acknowledgement: acknowledgement, loopDepth: loopDepth)
            }
        }
        acknowledgement?.noteUnmatched(wanted.lazy.filter { !$0 }.count)
        acknowledgement?.release()
    }

    /// The positions of the messages `matcher` selects, their sizes and the sum. The messages are
    /// lent to the matcher through the array's buffer rather than copied (a copy retains and
    /// releases every buffer a message holds), and `TRUE` is not evaluated per message.
    private static func select(_ messages: [Message], matcher: MessageMatcher,
                               wanted: inout [Bool]) -> (chosen: [Int], sizes: [Int], total: Int) {
        var chosen: [Int] = []
        var sizes: [Int] = []
        var total = 0
        chosen.reserveCapacity(messages.count)
        sizes.reserveCapacity(messages.count)
        let all = matcher.matchesEverything
        messages.withUnsafeBufferPointer { messages in
            for index in messages.indices where all || matcher.matches(messages[index]) {
                let size = messages[index].estimatedByteSize
                chosen.append(index)
                sizes.append(size)
                total += size
                wanted[index] = true
            }
        }
        return (chosen, sizes, total)
    }

    private func send(_ selected: [Message], origins: [Int], bytes: Int, to route: Route,
                      acknowledgement: BatchAcknowledgement?, loopDepth: Int) async {
        route.counters.add(\.matched, selected.count)
        acknowledgement?.retain()
        let batch = RoutedBatch(messages: selected, origins: origins, acknowledgement: acknowledgement,
                                byteSize: bytes, loopDepth: loopDepth)
        switch await route.queue.push(batch) {
        case .accepted:
            break
        case .full:
            route.counters.addDropped(selected.count, reason: "queue_full")
            batch.drop(reason: "queue_full")
        case .closed, .cancelled:
            // Not delivered, and not dropped either: an input's batch stays unsettled, so its
            // checkpoint never passes these messages and they are read again after a restart.
            // Messages a filter injected have no input to re-read them: those are lost, counted.
            if acknowledgement == nil {
                route.counters.addDropped(selected.count, reason: "shutdown")
            }
        }
    }
}
