import RunnelTestSupport

/// The agent configurations the integration tests share: a global section in the scratch folder
/// with a free admin port, a LogstreamerInput `logs` over `scratch/logs`, then the test's outputs.
enum AgentConfigs {
    static func followingLogs(_ scratch: ScratchFolder, extraGlobal: String = "", outputs: String) -> String {
        """
        [runnel]
        base_dir = "\(scratch.url.path)/state"
        admin_address = "127.0.0.1:0"
        \(extraGlobal)

        [logs]
        type = "LogstreamerInput"
        log_directory = "\(scratch.url.path)/logs"
        file_match = '.*\\.log'
        rescan_interval = "100ms"

        \(outputs)
        """
    }

    static func fileOutput(_ name: String, path: String, encoder: String = "PayloadEncoder", matcher: String = "TRUE") -> String {
        """
        [\(name)]
        type = "FileOutput"
        message_matcher = "\(matcher)"
        path = "\(path)"
        encoder = "\(encoder)"
        """
    }
}
