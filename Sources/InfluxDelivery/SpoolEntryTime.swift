extension Spool.Entry {
    /// When the batch was spooled, epoch milliseconds: the 15-digit prefix of the file name (see ``Spool``);
    /// nil for a name that does not start with one.
    public var spooledAtMs: Int64? {
        let prefix = name.prefix(15)
        guard prefix.count == 15, prefix.allSatisfy(\.isASCII) else { return nil }
        return Int64(prefix)
    }
}
