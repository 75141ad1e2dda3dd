/// One result of `RecordReader.next()`.
public enum ReadEvent {
    /// A well-formed record; valid only until the next call on the reader.
    case record(Record)
    /// A malformed record that was skipped; count it and keep reading.
    case rowError(RowError)
}
