/// How many predictions each hour of a scenario has: deterministic, so tests can predict row counts.
///
/// The count of the hour starting at `t` is
/// `round(predictionsPerHour × (1 + 0.6 · cos(2π (hourOfDay(t) − 15) / 24)) × collapse(t))`,
/// a daily cycle peaking at 15:00 UTC (1.6× the mean) with its trough at 03:00 UTC (0.4×), where
/// `collapse(t)` is the product of the factors of the ``Incident/volumeCollapse(factor:startMs:)``
/// incidents that started at or before `t`. Predictions within an hour are spread evenly with jitter.
public struct VolumeModel: Sendable {
    /// Mean predictions per hour before seasonality.
    public let predictionsPerHour: Int
    /// First instant of the scenario, epoch milliseconds.
    public let startMs: Int64
    /// Number of hours in the scenario.
    public let hours: Int
    private let collapses: [(startMs: Int64, factor: Double)]

    /// The volume model of a config.
    public init(config: ScenarioConfig) {
        predictionsPerHour = config.predictionsPerHour
        startMs = config.startMs
        hours = max(0, config.days) * 24
        collapses = config.incidents.compactMap {
            if case .volumeCollapse(let factor, let start) = $0 { return (start, factor) }
            return nil
        }
    }

    /// First instant of hour `index` (0-based), epoch milliseconds.
    public func hourStartMs(_ index: Int) -> Int64 { startMs + Int64(index) * 3_600_000 }

    /// Predictions in hour `index` (0-based).
    public func count(hour index: Int) -> Int {
        let hourStart = hourStartMs(index)
        let msOfDay = ((hourStart % 86_400_000) + 86_400_000) % 86_400_000
        let hourOfDay = Double(msOfDay) / 3_600_000
        var factor = 1 + 0.6 * mathCos(2 * Double.pi * (hourOfDay - 15) / 24)
        for collapse in collapses where hourStart >= collapse.startMs {
            factor *= collapse.factor
        }
        return max(0, Int((Double(predictionsPerHour) * factor).rounded()))
    }

    /// Predictions in the whole scenario.
    public var total: Int {
        var sum = 0
        for hour in 0..<hours { sum += count(hour: hour) }
        return sum
    }
}
