import ModelwatchJob
import Testing

@Suite("Backfill progress")
struct BackfillProgressTests {
    @Test("the progress line shows the share of windows done, rounded down", arguments: [
        (24, 241, 9), (0, 241, 0), (240, 241, 99), (241, 241, 100), (1, 3, 33), (0, 0, 100),
    ])
    func percent(_ done: Int, _ total: Int, _ expected: Int) {
        let progress = BackfillProgress(model: "fraud", done: done, total: total, asOfMs: 1_793_577_600_000)
        #expect(progress.percent == expected)
        #expect(progress.line == "backfill fraud: \(done)/\(total) windows (\(expected)%), as of 2026-11-02T00:00:00Z")
    }
}
