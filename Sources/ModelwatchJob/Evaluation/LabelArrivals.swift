import LineProtocol
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources

/// Labels observed per hour of label time in the input window [T − W, T), as `modelwatch_label_arrivals`
/// points: what `mw-label-arrivals-slowdown` compares with the model's usual rate. Pure: reads the sorted
/// label observation times of the table.
///
/// Every label row read counts, joined to a prediction or not (an orphan label still arrived). Windows that are
/// not a whole number of hours (and windows under an hour) are counted as one bucket. Nothing is written when
/// the label source has no time column (every label then counts as observed at once).
enum LabelArrivals {
    static let hourMs: Int64 = 3_600_000

    static func points(model: ModelConfiguration, plan: EvaluationPlan, table: ScoreTable) -> [Point] {
        guard model.labels.timeColumn != nil else { return [] }
        let window = plan.inputWindow
        let length = window.endMs - window.startMs
        let bucket = length >= hourMs && length % hourMs == 0 ? hourMs : length
        guard bucket > 0 else { return [] }
        let times = table.labelObservationTimes
        var points: [Point] = []
        var start = window.startMs
        while start < window.endMs {
            // Labels with start <= time < start + bucket: those at or before the bucket's last millisecond, less
            // those before its start.
            let count = ScoreTable.countAbove(times, start - 1) - ScoreTable.countAbove(times, start + bucket - 1)
            var point = Point(measurement: Schema.labelArrivals.name, tags: [(Tags.model, model.name)], timestampMs: start)
            point.add("labels", count)
            point.add("bucket_seconds", Int(bucket / 1000))
            points.append(point)
            start += bucket
        }
        return points
    }
}
