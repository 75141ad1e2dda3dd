import DriftMetrics
import InfluxDelivery
import ModelwatchConfiguration
import ModelwatchSources
/// `modelwatch validate`: reads every source as a run would, writes nothing, and reports what it found.
public enum SourceValidator {
    /// The validation outcome.
    public struct Report: Sendable {
        public var text: String
        public var status: ExitStatus
    }

    public static func validate(_ configuration: JobConfiguration, asOfMs: Int64) -> Report {
        var text = "config \(configuration.sourceFile): ok (fingerprint \(configuration.fingerprint))\n"
        var status = ExitStatus.ok
        if let influx = configuration.influx {
            text += "influx: \(URLUserInfo.redacted(influx.url)) (\(influx.api)); credentials \(credentialKind(influx.credentials))\n"
        } else {
            text += "influx: not configured (set INFLUX_URL or influx.url; `run --output` works without it)\n"
        }
        text += ThreadBudget.describe(configuration.run.threads) + "\n"
        for model in configuration.models {
            let plan = EvaluationPlan(
                asOfMs: asOfMs, windowSeconds: model.windowSeconds, maturitySeconds: model.maturitySeconds,
                restateProvisional: model.restateProvisional)
            text += "\nmodel \(model.name): window \(DurationText.format(model.windowSeconds)), maturity \(DurationText.format(model.maturitySeconds))\n"
            text += "  input window \(plan.inputWindow), final performance window \(plan.performanceWindows[0].range)\n"
            do {
                if let path = model.referenceProfile {
                    let profile = try JobRunner.loadProfile(path, model: model.name)
                    text += "  reference profile \(path): \(profile.rowCount) rows, fingerprint \(profile.fingerprint.prefix(16))\n"
                    let missing = (model.numericFeatures + model.categoricalFeatures).filter { profile.features[$0] == nil }
                    if !missing.isEmpty { text += "  warning: the profile has no baseline for \(missing.joined(separator: ", ")) (no drift for them)\n" }
                }
                let data = try ModelDataReader(model: model, plan: plan, threads: ThreadBudget.resolve(configuration.run.threads)).read()
                let c = data.counters
                text += "  scores: \(c.scoreRowsRead) rows read, \(c.scoreRowsInRange) in the evaluated range\n"
                let table = data.table
                let matched = (0..<table.count).reduce(0) { $0 + (table.label(row: $1, asOfMs: plan.asOfMs) >= 0 ? 1 : 0) }
                text += "  labels: \(c.labelRowsRead) rows read, \(matched) matched to scores in range, \(table.orphanLabels(asOfMs: plan.asOfMs)) orphans, \(table.lateLabels(asOfMs: plan.asOfMs)) after the as-of time\n"
                let freshness = DataFreshness(table: table, asOfMs: plan.asOfMs)
                text += "  newest prediction: \(freshness.newestPredictionMs.map { "\(TimeText.format($0)) (\(DataFreshness.age(plan.asOfMs - $0)) before the as-of time)" } ?? "none read")"
                text += " · newest label: \(freshness.newestLabelMs.map { "\(TimeText.format($0)) (\(DataFreshness.age(plan.asOfMs - $0)) before)" } ?? "none with a time")\n"
                if let warning = freshness.staleWarning(inputRows: table.rows(in: plan.inputWindow).count, inputWindow: plan.inputWindow) {
                    text += "  warning: \(warning)\n"
                }
                text += "  rejected rows: \(c.rowsRejected)\n"
                for sample in data.rowErrorSamples { text += "    ! \(sample)\n" }
                try JobRunner.checkBadRowBudget(c, options: configuration.run, samples: data.rowErrorSamples)
                text += "  ok\n"
            } catch {
                text += "  error: \(error.message)\n"
                if error.status > status { status = error.status }
            }
        }
        text += "\nvalidate: \(status == .ok ? "ok" : "failed") (exit \(status.rawValue))"
        return Report(text: text, status: status)
    }

    private static func credentialKind(_ credentials: InfluxConfiguration.Credentials) -> String {
        switch credentials {
        case .none: "none"
        case .token: "token (from the environment or token_file)"
        case .userPassword(let user, _): "user \(user) with a password"
        }
    }
}
