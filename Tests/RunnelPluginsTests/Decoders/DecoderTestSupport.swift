import RunnelCore
@testable import RunnelPlugins
