#if canImport(Glibc)
import Glibc
#endif

/// Which file a path or descriptor is, independent of its name: rotation renames a file without
/// changing its identity, and a new file at the old name has a new identity.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    public init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// `stat(2)` of a path, nil when it does not exist or cannot be read.
public func statPath(_ path: String) -> stat? {
    var info = stat()
    return stat(path, &info) == 0 ? info : nil
}

public func statDescriptor(_ descriptor: Int32) -> stat? {
    var info = stat()
    return fstat(descriptor, &info) == 0 ? info : nil
}

/// Regular files below `directory` (recursively), as paths relative to it.
public func listRegularFiles(in directory: String, maxDepth: Int = 8) -> [String] {
    var found: [String] = []
    func walk(_ relative: String, depth: Int) {
        let absolute = relative.isEmpty ? directory : directory + "/" + relative
        guard let handle = opendir(absolute) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            guard let info = statPath(directory + "/" + childRelative) else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: found.append(childRelative)
            case S_IFDIR where depth < maxDepth: walk(childRelative, depth: depth + 1)
            default: break
            }
        }
    }
    walk("", depth: 0)
    return found.sorted()
}
