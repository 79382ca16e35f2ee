import Foundation

/// Load, outage and process tests run with `RUNNEL_INTEGRATION=1` (`make test` sets it); their big
/// variants (the 1,000,000 messages, a 30 s outage) with `RUNNEL_LONG=1` as well.
enum ESIntegration {
    static var enabled: Bool { ProcessInfo.processInfo.environment["RUNNEL_INTEGRATION"] == "1" }
    static var long: Bool { ProcessInfo.processInfo.environment["RUNNEL_LONG"] == "1" }
}
