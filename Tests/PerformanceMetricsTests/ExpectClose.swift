import Testing

/// Expects two optional metrics to be both nil, or both present and within `tolerance`.
func expectClose(
    _ actual: Double?, _ expected: Double?, tolerance: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch (actual, expected) {
    case (nil, nil):
        return
    case let (actual?, expected?):
        #expect(
            abs(actual - expected) <= tolerance,
            "\(what): got \(actual), expected \(expected) (difference \(abs(actual - expected)))",
            sourceLocation: sourceLocation
        )
    default:
        Issue.record(
            "\(what): got \(String(describing: actual)), expected \(String(describing: expected))",
            sourceLocation: sourceLocation
        )
    }
}
