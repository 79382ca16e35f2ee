/// The version printed by `runnel version` and sent in the admin status.
public enum RunnelVersion {
    public static let current = "0.1.0"
}
