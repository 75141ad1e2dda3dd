import ModelwatchConfiguration
import ModelwatchJob
import ModelwatchSources
import Testing

@Suite("Window semantics")
struct EvaluationPlanTests {
    let hour: Int64 = 3_600_000
    let day: Int64 = 86_400_000

    @Test("as-of is aligned down to the window, so any time inside a window gives the same plan")
    func alignment() {
        let t = TimeText.parseRFC3339("2026-11-20T00:00:00Z")!
        let exact = EvaluationPlan(asOfMs: t, windowSeconds: 3600, maturitySeconds: 7 * 86_400, restateProvisional: false)
        let later = EvaluationPlan(asOfMs: t + 59 * 60_000 + 999, windowSeconds: 3600, maturitySeconds: 7 * 86_400, restateProvisional: false)
        #expect(exact == later)
        #expect(exact.asOfMs == t)
    }

    @Test("input covers [T−W, T) and performance covers [T−D−W, T−D)")
    func windows() {
        let t = TimeText.parseRFC3339("2026-11-20T00:00:00Z")!
        let plan = EvaluationPlan(asOfMs: t, windowSeconds: 3600, maturitySeconds: 7 * 86_400, restateProvisional: false)
        #expect(plan.inputWindow == TimeRange(startMs: t - hour, endMs: t))
        #expect(plan.performanceWindows.count == 1)
        #expect(plan.performanceWindows[0].range == TimeRange(startMs: t - 7 * day - hour, endMs: t - 7 * day))
        #expect(!plan.performanceWindows[0].provisional)
        #expect(plan.readRange == TimeRange(startMs: t - 7 * day - hour, endMs: t))
    }

    @Test("restatement adds every provisional window up to T, oldest first")
    func restatement() {
        let t = TimeText.parseRFC3339("2026-11-20T00:00:00Z")!
        let plan = EvaluationPlan(asOfMs: t, windowSeconds: 86_400, maturitySeconds: 7 * 86_400, restateProvisional: true)
        #expect(plan.performanceWindows.count == 8)
        #expect(plan.performanceWindows.first!.range.endMs == t - 7 * day)
        #expect(plan.performanceWindows.last!.range.endMs == t)
        #expect(plan.performanceWindows.dropFirst().allSatisfy { $0.provisional })
    }

    @Test("times before 1970 align toward negative infinity")
    func negativeTimes() {
        let plan = EvaluationPlan(asOfMs: -1, windowSeconds: 3600, maturitySeconds: 3600, restateProvisional: false)
        #expect(plan.asOfMs == -hour)
    }

    @Test("RFC 3339 formatting", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (1_793_491_200_000, "2026-11-01T00:00:00Z"),
        (1_793_491_200_123, "2026-11-01T00:00:00.123Z"), (-1000, "1969-12-31T23:59:59Z"), (951_782_400_000, "2000-02-29T00:00:00Z"),
    ])
    func formatting(_ ms: Int64, _ text: String) {
        #expect(TimeText.format(ms) == text)
        #expect(TimeText.parseRFC3339(text) == ms)
    }
}
