import NIOCore
import Testing
@testable import RunnelRouter

@Suite struct LoopTimersTests {
    private final class Recorder: TimerOwner {
        let name: String
        let log: Log
        init(_ name: String, _ log: Log) {
            self.name = name
            self.log = log
        }
        override func deadlineReached(now: NIODeadline) { log.fired.append(name) }
    }

    private final class Log { var fired: [String] = [] }

    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private func at(_ milliseconds: Int64) -> NIODeadline { start + .milliseconds(milliseconds) }

    @Test func firesDueDeadlinesInOrderAndWaitsUntilTheFirst() {
        let timers = LoopTimers(), log = Log()
        let a = Recorder("a", log), b = Recorder("b", log), c = Recorder("c", log)
        timers.set(c, to: at(30))
        timers.set(a, to: at(10))
        timers.set(b, to: at(20))
        #expect(timers.waitMilliseconds(now: start) == 10)
        #expect(timers.waitMilliseconds(now: at(10) - .microseconds(1)) == 1)  // rounded up, never early
        timers.fire(now: at(5))
        #expect(log.fired.isEmpty)
        timers.fire(now: at(20))
        #expect(log.fired == ["a", "b"])
        #expect(timers.waitMilliseconds(now: at(20)) == 10)
        timers.fire(now: at(40))
        #expect(log.fired == ["a", "b", "c"])
        #expect(timers.count == 0)
        #expect(timers.waitMilliseconds(now: at(40)) == -1)
    }

    @Test func aDeadlineMovedLaterFiresAtTheNewTimeOnly() {
        let timers = LoopTimers(), log = Log()
        let idle = Recorder("idle", log)
        timers.set(idle, to: at(10))
        timers.set(idle, to: at(50))  // a field write: the entry stays at 10
        #expect(timers.count == 1)
        timers.fire(now: at(10))
        #expect(log.fired.isEmpty)
        #expect(timers.count == 1)  // back in for 50
        #expect(timers.waitMilliseconds(now: at(10)) == 40)
        timers.fire(now: at(50))
        #expect(log.fired == ["idle"])
    }

    @Test func aDeadlineMovedEarlierFiresEarlierWithOneEntry() {
        let timers = LoopTimers(), log = Log()
        let a = Recorder("a", log), b = Recorder("b", log)
        timers.set(a, to: at(100))
        timers.set(b, to: at(60))
        timers.set(a, to: at(20))
        #expect(timers.count == 2)
        timers.fire(now: at(30))
        #expect(log.fired == ["a"])
        timers.fire(now: at(100))
        #expect(log.fired == ["a", "b"])
    }

    @Test func clearedAndRemovedOwnersNeverFire() {
        let timers = LoopTimers(), log = Log()
        let owners = (0..<20).map { Recorder("\($0)", log) }
        for (index, owner) in owners.enumerated() { timers.set(owner, to: at(Int64(100 - index))) }
        for owner in owners where Int(owner.name)! % 2 == 0 { timers.remove(owner) }
        #expect(timers.count == 10)
        timers.clear(owners[1])
        timers.fire(now: at(1000))
        #expect(log.fired == ["19", "17", "15", "13", "11", "9", "7", "5", "3"])
        #expect(timers.count == 0)
        #expect(owners.allSatisfy { $0.heapIndex == -1 })
    }

    @Test func anOwnerSetAgainWhileFiringIsKept() {
        let timers = LoopTimers(), log = Log()
        final class Rearming: TimerOwner {
            let timers: LoopTimers
            var fired = 0
            init(_ timers: LoopTimers) { self.timers = timers }
            override func deadlineReached(now: NIODeadline) {
                fired += 1
                if fired < 3 { timers.set(self, to: now + .milliseconds(10)) }
            }
        }
        let owner = Rearming(timers)
        _ = log
        timers.set(owner, to: at(10))
        timers.fire(now: at(10))
        timers.fire(now: at(20))
        timers.fire(now: at(30))
        timers.fire(now: at(1000))
        #expect(owner.fired == 3)
        #expect(timers.count == 0)
    }
}
