import Foundation
import InfluxDelivery
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// The run summary as one structured log record (`--log-format json` or `logfmt`): the same figures as
/// ``SummaryRenderer``'s text block, on one line, so a log collector sees one record per run.
///
/// JSON (Foundation's `JSONSerialization`, keys sorted) nests the models by name (`"models": {"fraud": {"status": "ok", …}}`); logfmt flattens the same
/// structure into dotted keys (`models.fraud.status=ok models.fraud.rows.read=12`).
public enum SummaryRecord {
    /// One line (no trailing newline) in `format`; `nowMs` is the record's `ts`. Text format has no record:
    /// use ``SummaryRenderer/render(_:)``.
    public static func render(_ report: RunReport, format: LogFormat, nowMs: Int64) -> String {
        let fields = self.fields(report)
        let head: [(String, Value)] = [
            ("ts", .string(TimeText.format(nowMs))), ("level", .string(level(report.exitStatus))),
            ("logger", .string("modelwatch")), ("msg", .string(report.backfillFromMs == nil ? "run summary" : "backfill summary")),
        ]
        switch format {
        case .json, .text:
            return json(.object(head + fields))
        case .logfmt:
            var pairs: [(String, String)] = []
            for (key, value) in head + fields { flatten(value, key: key, into: &pairs) }
            return pairs.map { "\($0.0)=\(LogOutput.logfmt($0.1))" }.joined(separator: " ")
        }
    }

    /// A value of the record, kept in insertion order.
    indirect enum Value {
        case string(String)
        case int(Int)
        case double(Double?)
        case bool(Bool)
        case object([(String, Value)])
        case list([Value])
    }

    /// `info` for a clean run, `warning` for bad data and temporary failures, `error` otherwise.
    static func level(_ status: ExitStatus) -> String {
        switch status {
        case .ok: "info"
        case .dataError, .temporaryFailure: "warning"
        default: "error"
        }
    }

    static func fields(_ report: RunReport) -> [(String, Value)] {
        var fields: [(String, Value)] = []
        if let from = report.backfillFromMs { fields.append(("from", .string(TimeText.format(from)))) }
        fields += [
            ("as_of", .string(TimeText.format(report.asOfMs))),
            ("destination", .string(report.destination.isEmpty ? "(nothing)" : report.destination)),
            ("exit_code", .int(Int(report.exitStatus.rawValue))),
            ("status", .string(report.exitStatus.statusText)),
            ("duration_seconds", .double(rounded(report.durationSeconds))),
        ]
        if let error = report.runError { fields.append(("error", .string(error.message))) }
        var models: [(String, Value)] = []
        for model in report.models { models.append((model.name, .object(self.model(model)))) }
        fields.append(("models", .object(models)))
        return fields
    }

    private static func model(_ model: ModelReport) -> [(String, Value)] {
        var fields: [(String, Value)] = [
            ("status", .string(model.status.statusText)),
            ("exit_code", .int(Int(model.status.rawValue))),
            ("duration_seconds", .double(rounded(model.durationSeconds))),
        ]
        if model.skipped { fields.append(("skipped", .bool(true))) }
        if let message = model.message { fields.append(("error", .string(message))) }
        if !model.skipped {
            if let plan = model.plan {
                fields.append(("input_window", .string(plan.inputWindow.description)))
                fields.append(("performance_window", .string(plan.performanceWindows[0].range.description)))
            }
            let c = model.counters
            fields.append(("rows", .object([
                ("read", .int(c.rowsRead)), ("scores", .int(c.scoreRowsRead)), ("labels", .int(c.labelRowsRead)),
                ("rejected", .int(c.rowsRejected)), ("in_range", .int(c.scoreRowsInRange)),
            ])))
            if !model.rowErrorSamples.isEmpty {
                fields.append(("row_errors", .list(model.rowErrorSamples.prefix(3).map { .string($0) })))
            }
            let span = model.backfill
            fields.append(("join", .object([
                ("matched", .int(span?.labelsMatched ?? c.labelsMatched)), ("orphan_labels", .int(c.orphanLabels)),
                ("duplicate_labels", .int(span?.duplicateLabels ?? c.duplicateLabels)), ("late_labels", .int(c.lateLabels)),
            ])))
            if let span { fields.append(("backfill_windows", .int(span.windows))) }
            fields.append(("input_rows", .int(span?.inputRows ?? model.inputRows)))
            var performance: [(String, Value)] = []
            for final in model.finalPerformance {
                let r = final.result
                performance.append((final.version, .object([
                    ("n", .int(r.n)), ("positives", .int(r.nPositive)), ("auc", .double(r.auc)),
                    ("average_precision", .double(r.averagePrecision)), ("ece", .double(r.ece)), ("brier", .double(r.brier)),
                    ("sufficient", .bool(final.sufficient)),
                ])))
            }
            for final in model.finalTaskResults {
                switch final.result {
                case .regression(let r):
                    performance.append((final.version, .object([
                        ("n", .int(r.n)), ("mae", .double(r.meanAbsoluteError)), ("rmse", .double(r.rootMeanSquaredError)),
                        ("bias", .double(r.meanError)), ("r2", .double(r.r2)), ("sufficient", .bool(final.sufficient)),
                    ])))
                case .multiclass(let r, _):
                    performance.append((final.version, .object([
                        ("n", .int(r.n)), ("accuracy", .double(r.accuracy)), ("macro_f1", .double(r.macroF1)),
                        ("balanced_accuracy", .double(r.balancedAccuracy)), ("log_loss", .double(r.probabilities?.logLoss)),
                        ("sufficient", .bool(final.sufficient)),
                    ])))
                }
            }
            if !performance.isEmpty { fields.append(("performance", .object(performance))) }
            if let freshness = model.freshness {
                fields.append(("newest_prediction_age_seconds", freshness.predictionAgeSeconds.map { .int($0) } ?? .double(nil)))
                fields.append(("newest_label_age_seconds", freshness.labelAgeSeconds.map { .int($0) } ?? .double(nil)))
            }
            if !model.warnings.isEmpty { fields.append(("warnings", .list(model.warnings.map { .string($0) }))) }
            if model.windowsFinalisedLate > 0 { fields.append(("windows_finalised_late", .int(model.windowsFinalisedLate))) }
            if !model.driftiest.isEmpty {
                fields.append(("psi", .object(model.driftiest.prefix(3).map { ($0.feature, .double($0.psi)) })))
            }
        }
        if let delivery = model.delivery {
            fields.append(("points", .object([
                ("encoded", .int(model.skipped ? 1 : model.pointsEncoded + 1)), ("delivered", .int(delivery.pointsDelivered)),
                ("replayed", .int(delivery.pointsReplayed)), ("rejected", .int(delivery.pointsRejected)),
                ("spooled", .int(delivery.pointsSpooled)), ("dropped_spool_full", .int(delivery.pointsDroppedSpoolFull)),
                ("lost", .int(delivery.pointsLost)), ("retries", .int(delivery.retries)),
            ])))
        }
        return fields
    }

    private static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    private static func flatten(_ value: Value, key: String, into pairs: inout [(String, String)]) {
        switch value {
        case .string(let text): pairs.append((key, text))
        case .int(let number): pairs.append((key, String(number)))
        case .double(let number): pairs.append((key, number.map { format($0) } ?? "null"))
        case .bool(let flag): pairs.append((key, flag ? "true" : "false"))
        case .object(let members): for (name, member) in members { flatten(member, key: "\(key).\(name)", into: &pairs) }
        case .list(let items): for (index, item) in items.enumerated() { flatten(item, key: "\(key).\(index)", into: &pairs) }
        }
    }

    private static func format(_ number: Double) -> String {
        number.isFinite ? "\(number)" : "null"
    }

    /// JSON through Foundation (keys sorted, as in the log lines of ``LogOutput``).
    private static func json(_ value: Value) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: foundationObject(value), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func foundationObject(_ value: Value) -> Any {
        switch value {
        case .string(let text): return text
        case .int(let number): return number
        case .double(let number): return number.flatMap { $0.isFinite ? $0 : nil } ?? NSNull()
        case .bool(let flag): return flag
        case .object(let members): return Dictionary(members.map { ($0.0, foundationObject($0.1)) }, uniquingKeysWith: { $1 })
        case .list(let items): return items.map(foundationObject)
        }
    }
}
