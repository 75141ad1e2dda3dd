extension ScenarioConfig {
    /// 2026-10-01T00:00:00.000Z, the start of every 30-day preset.
    public static let presetStartMs: Int64 = 1_790_812_800_000
    /// 2026-10-25T00:00:00.000Z (`presetStartMs` + 24 days, the first instant of day 25): when every
    /// single-incident preset's incident starts.
    public static let presetIncidentStartMs: Int64 = 1_792_886_400_000
    /// 2026-11-01T00:00:00.000Z, the start of the `demo` preset.
    public static let demoStartMs: Int64 = 1_793_491_200_000

    /// Names accepted by ``named(_:)``.
    public static let presetNames: [String] = [
        "healthy", "demo", "feature-missing", "feature-drift", "model-degradation", "labels-stop",
        "volume-collapse", "score-shift", "covariate-shift",
    ]

    /// A named preset, or `nil` for an unknown name. Every preset uses seed 42 and defaults for the
    /// settings not listed here.
    ///
    /// - `healthy`: 2026-10-01T00:00Z, 30 days, 200 predictions/hour, no incident.
    /// - `demo`: 2026-11-01T00:00Z, 14 days, 400 predictions/hour; `model_version` switches to `v2`
    ///   at 2026-11-08T00:00:00.000Z (day 8); `f_num_02` drifts by +1 standard deviation from
    ///   2026-11-11T00:00:00.000Z (day 11); `f_num_04` is missing from 2026-11-13T00:00:00.000Z (day 13).
    /// - Single-incident presets, each 2026-10-01T00:00Z, 30 days, 200 predictions/hour, incident
    ///   from 2026-10-25T00:00:00.000Z (``presetIncidentStartMs``, first instant of day 25) to the end:
    ///   - `feature-missing`: `f_num_01` empty in every row.
    ///   - `feature-drift`: `f_num_00` shifted by +1 standard deviation.
    ///   - `model-degradation`: strength 0.7 (AUC ≈ 0.6 instead of ≈ 0.77).
    ///   - `labels-stop`: no label with `label_time` ≥ the start is emitted.
    ///   - `volume-collapse`: volume × 0.05.
    ///   - `score-shift`: +1.0 on the score's logit.
    ///   - `covariate-shift`: the score's logit × 0.35, labels Bernoulli(score) (calibrated, AUC ≈ 0.6).
    public static func named(_ name: String) -> ScenarioConfig? {
        let incidentStart = presetIncidentStartMs
        func thirtyDays(_ incidents: [Incident]) -> ScenarioConfig {
            ScenarioConfig(
                seed: 42, startMs: presetStartMs, days: 30, predictionsPerHour: 200, incidents: incidents
            )
        }
        switch name {
        case "healthy":
            return thirtyDays([])
        case "demo":
            let day: Int64 = 86_400_000
            return ScenarioConfig(
                seed: 42, startMs: demoStartMs, days: 14, predictionsPerHour: 400,
                versionSwitchAtMs: demoStartMs + 7 * day,
                incidents: [
                    .featureDrift(feature: "f_num_02", shift: 1.0, startMs: demoStartMs + 10 * day),
                    .featureMissing(feature: "f_num_04", startMs: demoStartMs + 12 * day),
                ]
            )
        case "feature-missing":
            return thirtyDays([.featureMissing(feature: "f_num_01", startMs: incidentStart)])
        case "feature-drift":
            return thirtyDays([.featureDrift(feature: "f_num_00", shift: 1.0, startMs: incidentStart)])
        case "model-degradation":
            return thirtyDays([.modelDegradation(strength: 0.7, startMs: incidentStart)])
        case "labels-stop":
            return thirtyDays([.labelsStop(startMs: incidentStart)])
        case "volume-collapse":
            return thirtyDays([.volumeCollapse(factor: 0.05, startMs: incidentStart)])
        case "score-shift":
            return thirtyDays([.scoreShift(logitShift: 1.0, startMs: incidentStart)])
        case "covariate-shift":
            return thirtyDays([.covariateShift(spread: 0.35, startMs: incidentStart)])
        default:
            return nil
        }
    }
}
