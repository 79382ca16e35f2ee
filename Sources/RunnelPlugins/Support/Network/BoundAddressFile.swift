import RunnelCore

/// Where a listener that asked for port 0 tells tools and tests the port it got:
/// `base_dir/<plugin name>.addr`, holding `host:port` and a newline (like the agent's admin.addr).
public enum BoundAddressFile {
    public static func path(baseDir: String, pluginName: String) -> String {
        baseDir + "/" + pluginName + ".addr"
    }

    static func write(_ address: String, to path: String) throws(CheckpointStore.IOError) {
        try CheckpointStore.atomicWrite(Array((address + "\n").utf8), to: path)
    }
}
