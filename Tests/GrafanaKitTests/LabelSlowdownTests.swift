import Foundation
import Testing

/// `mw-label-arrivals-slowdown` on hand-written `modelwatch_label_arrivals` points, as hourly and daily runs
/// write them: one point per hour of label time, each hour's point present only once the run that covers it has
/// finished (hourly runs at hh:05 for the hour before, daily runs at 00:05 for the day before). Each model has 18
/// days of its usual rate (with a daily cycle of ±30% and a day-to-day wobble) and then, from day 18 at 09:00, its
/// incident. The rule is evaluated just after each hourly run, on what had been written by then.
@Suite("A label slowdown or stop is detected from label arrivals within hours")
struct LabelSlowdownTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour
    static let origin: Int64 = 1_794_182_400_000
    static let incident = origin + 18 * day + 9 * hour

    /// A model's usual labels per hour and what happens from the incident on (a factor of the usual rate).
    struct Model {
        let name: String
        let usual: Double
        let factor: Double
        let daily: Bool
    }

    static let models = [
        Model(name: "hourly-slowdown", usual: 40, factor: 0.1, daily: false),
        Model(name: "hourly-stop", usual: 40, factor: 0, daily: false),
        Model(name: "hourly-half", usual: 40, factor: 0.5, daily: false),
        Model(name: "hourly-healthy", usual: 40, factor: 1, daily: false),
        Model(name: "hourly-sparse-stop", usual: 4, factor: 0, daily: false),
        Model(name: "daily-slowdown", usual: 60, factor: 0.1, daily: true),
    ]

    static func count(_ model: Model, hourStart: Int64) -> Int {
        let hourOfDay = Double((hourStart - origin) % day) / Double(hour)
        let dayIndex = Int((hourStart - origin) / day)
        let cycle = 1 + 0.3 * cos(2 * Double.pi * (hourOfDay - 15) / 24)
        let wobble = 1 + 0.1 * Double((dayIndex * 7) % 5 - 2) / 2
        let factor = hourStart >= incident ? model.factor : 1
        return Int((model.usual * cycle * wobble * factor).rounded())
    }

    /// When the point of the hour starting at `hourStart` is written: 5 minutes after the run that covers it.
    static func written(_ model: Model, hourStart: Int64) -> Int64 {
        model.daily ? (hourStart / day + 1) * day + 5 * 60_000 : hourStart + hour + 5 * 60_000
    }

    static func lines(at now: Int64) -> [String] {
        models.flatMap { model -> [String] in
            (0..<(22 * 24)).compactMap { index -> String? in
                let start = origin + Int64(index) * hour
                guard written(model, hourStart: start) <= now else { return nil }
                return "modelwatch_label_arrivals,model=\(model.name) labels=\(count(model, hourStart: start))i,bucket_seconds=3600i \(start)"
            }
        }
    }

    /// After the incident, evaluated at hh:06 on what had been written by then: for each model that fires, the
    /// first whole hour after the incident at which its condition holds.
    static func firstFiring() async throws -> [String: Int] {
        var firstFiring: [String: Int] = [:]
        for hours in 0...18 {
            let now = incident + Int64(hours) * hour + 6 * 60_000
            let data = try await ScenarioInflux.scratch("slow_after", lines: lines(at: now), asOfs: [])
            let outcome = try AlertEvaluationTests.outcome("mw-label-arrivals-slowdown", data, at: now)
            for model in AlertEvaluationTests.firing(outcome, by: "model") where firstFiring[model] == nil {
                firstFiring[model] = hours
            }
        }
        return firstFiring
    }

    @Test("slowdowns to 10% and stops fire within hours (a daily model at its next run); half the rate, a healthy model and one below 10 labels an hour stay silent")
    func slowdownDetectedWithinHours() async throws {
        guard ScenarioInflux.influxdBinary() != nil || ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] != "1" else { return }
        // Healthy until the incident: silent at every hourly evaluation of the day before.
        for offset in stride(from: -24, to: 0, by: 6) {
            let now = Self.incident + Int64(offset) * Self.hour + 6 * 60_000
            let data = try await ScenarioInflux.scratch("slow_before", lines: Self.lines(at: now), asOfs: [])
            let outcome = try AlertEvaluationTests.outcome("mw-label-arrivals-slowdown", data, at: now)
            #expect(outcome.firing.isEmpty, "at \(offset) h: \(outcome.numbers)")
            #expect(Set(outcome.evaluated.compactMap { $0["model"] }) == Set(Self.models.map(\.name)), "every model has a usual rate and recent hours")
        }
        let firstFiring = try await Self.firstFiring()
        // Hourly: the third hour after the slowdown is written at 12:05, so the condition holds from 12:06 (3 h);
        // daily: the run at the next midnight (day 19 00:05), 15 hours after the slowdown began at 09:00.
        #expect(firstFiring == ["hourly-slowdown": 3, "hourly-stop": 3, "daily-slowdown": 15], "\(firstFiring)")
    }
}
