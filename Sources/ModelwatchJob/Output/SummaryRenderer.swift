import Foundation
import InfluxDelivery
import MetricSchema
import ModelwatchConfiguration
import ModelwatchSources
import PerformanceMetrics

/// Renders a run report as the one-screen summary printed at the end of every run.
public enum SummaryRenderer {
    public static func render(_ report: RunReport) -> String {
        let destination = report.destination.isEmpty ? "(nothing)" : report.destination
        var out = report.backfillFromMs.map { "modelwatch backfill from \(TimeText.format($0)) to \(TimeText.format(report.asOfMs)) → \(destination)" }
            ?? "modelwatch run as of \(TimeText.format(report.asOfMs)) → \(destination)"
        let lost = report.models.reduce(0) { $0 + ($1.delivery?.pointsLost ?? 0) }
        // Loss is the one thing the reader must not miss: it goes on the first line.
        out += lost > 0 ? " · \(n(lost)) POINTS LOST (neither delivered nor spooled)\n" : "\n"
        for model in report.models {
            out += "\nmodel \(model.name)  [\(model.status.statusText)]  \(String(format: "%.2f", model.durationSeconds))s\n"
            if model.skipped {
                // Nothing was read or computed: only the reason, and where the heartbeat went.
                out += "  skipped      \(model.message ?? "")\n"
                if let delivery = model.delivery { out += "  points       heartbeat only · \(n(delivery.pointsDelivered)) delivered\(delivery.pointsSpooled > 0 ? " · \(n(delivery.pointsSpooled)) spooled" : "")\n" }
                continue
            }
            if let span = model.backfill {
                out += "  backfill     \(n(span.windows)) as-of times from \(TimeText.format(span.firstAsOfMs)) to \(TimeText.format(span.lastAsOfMs)); "
                    + "join and inputs add up all of them, performance and drift are the last one's\n"
            }
            if let plan = model.plan {
                let provisional = plan.performanceWindows.count - 1
                out += "  windows      \(model.backfill == nil ? "" : "last: ")input \(plan.inputWindow) · performance \(plan.performanceWindows[0].range)"
                out += provisional > 0 ? " final + \(provisional) provisional\n" : "\n"
            }
            if model.windowsFinalisedLate > 0 {
                out += "  catch-up     \(n(model.windowsFinalisedLate)) earlier final windows written: runs were skipped since the last one delivered\n"
            }
            let c = model.counters
            out += "  rows         read \(n(c.rowsRead)) (scores \(n(c.scoreRowsRead)), labels \(n(c.labelRowsRead))) · rejected \(n(c.rowsRejected)) · in range \(n(c.scoreRowsInRange))\n"
            if !model.rowErrorSamples.isEmpty {
                for sample in model.rowErrorSamples.prefix(3) { out += "    ! \(sample)\n" }
                if c.rowsRejected > 3 { out += "    ! … \(n(c.rowsRejected - 3)) more\n" }
            }
            let matched = model.backfill.map { "\(n($0.labelsMatched)) in \(n($0.windows)) final windows" } ?? n(c.labelsMatched)
            let duplicates = model.backfill?.duplicateLabels ?? c.duplicateLabels
            out += "  join         matched \(matched) · orphan labels \(n(c.orphanLabels)) · duplicate labels \(n(duplicates)) · late labels \(n(c.lateLabels))\n"
            for performance in model.finalPerformance {
                let r = performance.result
                var line = "  performance  \(performance.version)\(model.backfill == nil ? "" : " (last final window)"): n \(n(r.n)) (pos \(n(r.nPositive)))"
                if let auc = r.auc {
                    line += " · AUC \(f(auc))"
                    if let lower = r.aucConfidenceLower, let upper = r.aucConfidenceUpper { line += " [\(f(lower)), \(f(upper))]" }
                } else if let reason = r.undefinedReason {
                    line += " · AUC undefined (\(reason))"
                }
                if let ap = r.averagePrecision { line += " · AP \(f(ap))" }
                if let ece = r.ece { line += " · ECE \(f(ece))" }
                if let brier = r.brier { line += " · Brier \(f(brier))" }
                line += performance.sufficient ? "" : " · INSUFFICIENT SAMPLE"
                out += line + "\n"
                for metrics in r.thresholds.prefix(Self.thresholdLines) where r.n > 0 {
                    out += "  threshold    \(performance.version) @\(ModelEvaluator.label(metrics.threshold)): "
                        + "precision \(rate(metrics.precision, metrics.precisionInterval)) · recall \(rate(metrics.recall, metrics.recallInterval))\n"
                }
            }
            for final in model.finalTaskResults {
                out += "  performance  \(final.version)\(model.backfill == nil ? "" : " (last final window)"): "
                    + Self.headline(final.result) + (final.sufficient ? "" : " · INSUFFICIENT SAMPLE") + "\n"
            }
            out += "  inputs       " + (model.backfill.map { "\(n($0.inputRows)) predictions in \(n($0.windows)) input windows" } ?? "\(n(model.inputRows)) predictions in the input window")
            let drifted = model.driftiest.prefix(3).map { "\($0.feature) PSI \(f($0.psi))" }
            out += drifted.isEmpty ? "\n" : " · top drift: \(drifted.joined(separator: ", "))\n"
            if !model.mostMissing.isEmpty {
                let missing = model.mostMissing.prefix(3).map { "\($0.feature) \(String(format: "%.0f", $0.rate * 100))%" }
                out += "  missing      \(missing.joined(separator: ", "))\(model.mostMissing.count > 3 ? " and \(model.mostMissing.count - 3) more" : "")\n"
            }
            for (column, values) in model.foldedSegments.sorted(by: { $0.key < $1.key }) {
                out += "  segments     \(column): \(values.count) values folded into `\(Tags.otherValue)`\n"
            }
            for (column, rewrites) in model.rewrittenSegments.sorted(by: { $0.key < $1.key }) {
                out += "  segments     \(column): \(rewrites.text)\n"
            }
            for warning in model.warnings { out += "  warning      \(warning)\n" }
            if let delivery = model.delivery {
                var line = "  points       \(n(model.pointsEncoded + JobRunner.heartbeatPoints)) encoded · \(n(delivery.pointsDelivered)) delivered"
                if delivery.pointsReplayed > 0 { line += " (\(n(delivery.pointsReplayed)) from the spool)" }
                if delivery.pointsRejected > 0 {
                    let saved = delivery.pointsRejected - delivery.pointsRejectedNotSaved
                    if saved > 0 { line += " · \(n(saved)) rejected (dead letter)" }
                    if delivery.pointsRejectedNotSaved > 0 {
                        line += " · \(n(delivery.pointsRejectedNotSaved)) rejected and only logged, \(delivery.deadLetterError ?? "no dead-letter file")"
                    }
                }
                if delivery.pointsSpooled > 0 { line += " · \(n(delivery.pointsSpooled)) spooled" }
                if delivery.pointsDroppedSpoolFull > 0 { line += " · \(n(delivery.pointsDroppedSpoolFull)) dropped (spool full)" }
                if delivery.pointsLost > 0 { line += " · \(n(delivery.pointsLost)) LOST (neither delivered nor spooled)" }
                if delivery.spoolFilesQuarantined > 0 {
                    line += " · \(delivery.spoolFilesQuarantined) spool file\(delivery.spoolFilesQuarantined == 1 ? "" : "s") failed the check, quarantined: \(delivery.quarantinedFiles.joined(separator: ", "))"
                }
                if delivery.retries > 0 { line += " · \(delivery.retries) retries" }
                out += line + "\n"
            }
            if let message = model.message { out += "  error        \(message.replacingOccurrences(of: "\n", with: "\n               "))\n" }
        }
        if let error = report.runError { out += "\nerror: \(error.message)\n" }
        out += "\nexit \(report.exitStatus.rawValue) (\(report.exitStatus.statusText)) in \(String(format: "%.2f", report.durationSeconds))s\n"
        return out
    }

    private static func n(_ value: Int) -> String {
        var text = String(value)
        var index = text.count - 3
        while index > 0 {
            text.insert(",", at: text.index(text.startIndex, offsetBy: index))
            index -= 3
        }
        return text
    }

    private static func f(_ value: Double) -> String { String(format: "%.4f", value) }

    /// The headline metrics of a regression or multiclass final window.
    static func headline(_ result: TaskResult) -> String {
        switch result {
        case .regression(let r):
            var line = "n \(n(r.n))"
            if let mae = r.meanAbsoluteError {
                line += " · MAE \(f(mae))"
                if let interval = r.meanAbsoluteErrorInterval { line += " [\(f(interval.lower)), \(f(interval.upper))]" }
            }
            if let rmse = r.rootMeanSquaredError { line += " · RMSE \(f(rmse))" }
            if let bias = r.meanError {
                line += " · bias \(f(bias))"
                if let interval = r.meanErrorInterval { line += " [\(f(interval.lower)), \(f(interval.upper))]" }
            }
            if let r2 = r.r2 { line += " · R² \(f(r2))" }
            return line
        case .multiclass(let r, let classes):
            var line = "n \(n(r.n)) · \(classes.count) classes"
            if let accuracy = r.accuracy { line += " · accuracy \(f(accuracy))" }
            if let macroF1 = r.macroF1 { line += " · macro-F1 \(f(macroF1))" }
            if let balanced = r.balancedAccuracy { line += " · balanced accuracy \(f(balanced))" }
            if let logLoss = r.probabilities?.logLoss { line += " · log loss \(f(logLoss))" }
            let weakest = r.classes.compactMap { metrics in metrics.recall.map { (classes[metrics.classIndex], $0) } }.min { $0.1 < $1.1 }
            if let weakest { line += " · lowest recall \(weakest.0) \(f(weakest.1))" }
            return line
        }
    }

    /// Thresholds shown per version (the points have them all).
    private static let thresholdLines = 5

    /// A rate with its 95% interval, or `undefined`.
    private static func rate(_ value: Double?, _ interval: ProportionInterval?) -> String {
        guard let value else { return "undefined" }
        return interval.map { "\(f(value)) [\(f($0.lower)), \(f($0.upper))]" } ?? f(value)
    }
}
