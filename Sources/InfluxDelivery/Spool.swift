import Glibc

/// A durable, size-capped directory of batches that could not be delivered.
///
/// - Each file holds one batch of uncompressed line protocol behind a header line with its length and CRC-32
///   (`SpoolFormat`), and nothing else (no credentials). Names are `<epoch-ms, 15 digits>-<sequence, 6 digits>.lp`, so lexical order is
///   creation order; a new name always sorts after every existing one, even if the wall clock went back.
/// - Files are written whole: temp file in the same directory, `fsync`, `rename`, `fsync` the directory.
///   A crash leaves either the complete file or none (plus a `.tmp-*` file, removed at the next open).
/// - Opening takes an exclusive non-blocking `flock` on `<directory>/.lock`; a second overlapping run gets
///   `SpoolError.locked` instead of replaying the same files.
/// - Before a file is replayed it is checked (`SpoolFormat.decode`): one that fails is moved to
///   `quarantineDirectory` with a `.reason` file beside it, and never blocks the files behind it. An entry
///   that cannot be read at all (a directory, a file of another user) is left where it is and reported.
///
/// **Policy when full** (`maxBytes`): after a new batch is written, the *oldest* files are deleted until
/// the spool fits again (the newest file is always kept), and their points are reported as
/// `pointsDroppedSpoolFull` and logged at error level as `points_dropped_spool_full`. Why drop oldest
/// rather than refuse new data: the spool only fills during a long outage; the newest points are the
/// ones dashboards and alerts need when the server comes back, refusing would lose the current run's
/// points anyway (a cron job cannot wait), and a bounded spool must never fill the disk the job needs.
public final class Spool {
    public let directory: String
    public let maxBytes: Int
    /// Where files that fail their check are moved (created when first needed).
    public let quarantineDirectory: String
    private let lock: SpoolLock
    private var lastName: String = ""
    private var sequence = 0

    /// One spooled batch on disk.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var path: String
        public var bytes: Int
    }

    /// The result of reading one spooled file.
    enum Content {
        /// The batch, checked.
        case batch(LineBatch)
        /// The file was read but cannot be trusted: it belongs in the quarantine.
        case defect(SpoolDefect)
        /// The entry cannot be read (a directory, no permission): the text names the path and the problem.
        case unreadable(String)
    }

    /// Opens (creating if needed) and locks the spool directory. `quarantineDirectory` defaults to
    /// `<directory>/quarantine`.
    public init(directory: String, maxBytes: Int = 256 * 1024 * 1024, quarantineDirectory: String? = nil) throws(SpoolError) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.quarantineDirectory = quarantineDirectory ?? "\(directory)/quarantine"
        do { try PosixFile.createDirectories(directory) } catch { throw SpoolError.io(error.description) }
        lock = try SpoolLock(directory: directory)
        let names: [String]
        do { names = try PosixFile.list(directory) } catch { throw SpoolError.io(error.description) }
        for name in names where name.hasPrefix(".tmp-") { unlink("\(directory)/\(name)") }
        lastName = entries().last?.name ?? ""
    }

    /// Spooled batches, oldest first.
    public func entries() -> [Entry] {
        let names = (try? PosixFile.list(directory)) ?? []
        return names.filter { $0.hasSuffix(".lp") && !$0.hasPrefix(".") }.sorted().map { name in
            let path = "\(directory)/\(name)"
            return Entry(name: name, path: path, bytes: PosixFile.size(path) ?? 0)
        }
    }

    /// Total bytes of spooled batches.
    public var depthBytes: Int { entries().reduce(0) { $0 + $1.bytes } }

    func read(_ entry: Entry) -> Content {
        let bytes: [UInt8]
        do { bytes = try PosixFile.readAll(entry.path) } catch { return .unreadable(Self.unreadable(entry.path, error)) }
        switch SpoolFormat.decode(bytes) {
        case .success(let batch): return .batch(batch)
        case .failure(let defect): return .defect(defect)
        }
    }

    /// Moves a file that failed its check to the quarantine, with `<name>.reason` beside it; returns its new path.
    func quarantine(_ entry: Entry, reason: String) throws(SpoolError) -> String {
        let target = "\(quarantineDirectory)/\(entry.name)"
        do throws(PosixFile.Failure) {
            try PosixFile.createDirectories(quarantineDirectory)
            try PosixFile.writeAtomically(Array("\(reason)\n".utf8), to: target + ".reason", directory: quarantineDirectory)
            if rename(entry.path, target) != 0 {
                guard errno == EXDEV else { throw PosixFile.Failure(operation: "rename", path: entry.path, errnoValue: errno) }
                // Another file system: copy durably, then remove the original.
                try PosixFile.writeAtomically(try PosixFile.readAll(entry.path), to: target, directory: quarantineDirectory)
                guard unlink(entry.path) == 0 else { throw PosixFile.Failure(operation: "unlink", path: entry.path, errnoValue: errno) }
            }
            try PosixFile.syncDirectory(quarantineDirectory)
            try PosixFile.syncDirectory(directory)
        } catch { throw SpoolError.io(error.description) }
        return target
    }

    /// The path, and what is wrong with it in words an operator can act on.
    static func unreadable(_ path: String, _ failure: PosixFile.Failure) -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else { return "\(path) cannot be read: \(failure)" }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            return "\(path) is a directory, not a spool file: move it out of the spool directory"
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            return "\(path) is not a regular file: move it out of the spool directory"
        }
        let mode = String(st.st_mode & 0o7777, radix: 8)
        let owner = "owned by \(userName(st.st_uid)) (uid \(st.st_uid)), group gid \(st.st_gid), mode 0\(mode)"
        let me = "this process runs as \(userName(geteuid())) (uid \(geteuid()))"
        if failure.errnoValue == EACCES || failure.errnoValue == EPERM {
            return "\(path) cannot be read: permission denied: it is \(owner), and \(me); "
                + "chown it to the user that runs modelwatch (a manual `sudo modelwatch run` leaves such files), or remove it"
        }
        return "\(path) cannot be read (\(owner)): \(failure)"
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// Writes `batch` as the newest file, then enforces the cap. Returns the points dropped by the cap.
    @discardableResult
    func append(_ batch: LineBatch, wallClockMilliseconds: Int64) throws(SpoolError) -> Int {
        let name = nextName(wallClockMilliseconds)
        do {
            try PosixFile.writeAtomically(SpoolFormat.encode(batch), to: "\(directory)/\(name)", directory: directory)
        } catch { throw SpoolError.io(error.description) }
        lastName = name
        return enforceCap()
    }

    /// Atomically replaces a spooled batch with what is left of it (after a partial replay).
    func replace(_ entry: Entry, with batch: LineBatch) throws(SpoolError) {
        do { try PosixFile.writeAtomically(SpoolFormat.encode(batch), to: entry.path, directory: directory) } catch {
            throw SpoolError.io(error.description)
        }
    }

    func remove(_ entry: Entry) throws(SpoolError) {
        guard unlink(entry.path) == 0 || errno == ENOENT else {
            throw SpoolError.io("unlink \(entry.path): \(String(cString: strerror(errno)))")
        }
        do { try PosixFile.syncDirectory(directory) } catch { throw SpoolError.io(error.description) }
    }

    private func enforceCap() -> Int {
        var all = entries()
        var total = all.reduce(0) { $0 + $1.bytes }
        var dropped = 0
        while total > maxBytes, all.count > 1 {
            let oldest = all.removeFirst()
            let points = if case .batch(let batch) = read(oldest) { batch.lineCount } else { 0 }
            if (try? remove(oldest)) != nil {
                dropped += points
                total -= oldest.bytes
            } else {
                break
            }
        }
        return dropped
    }

    private func nextName(_ nowMs: Int64) -> String {
        sequence += 1
        var candidate = Self.name(ms: max(nowMs, 0), sequence: sequence)
        if candidate <= lastName, let lastMs = Int64(lastName.prefix(15)) {
            // Clock went back (or same ms as a previous run): sort after the newest existing file.
            candidate = Self.name(ms: lastMs + 1, sequence: sequence)
        }
        return candidate
    }

    private static func name(ms: Int64, sequence: Int) -> String {
        let msText = String(ms)
        let seqText = String(sequence % 1_000_000)
        return String(repeating: "0", count: max(0, 15 - msText.count)) + msText + "-"
            + String(repeating: "0", count: max(0, 6 - seqText.count)) + seqText + ".lp"
    }
}
