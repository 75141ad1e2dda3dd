/// A seeded synthetic scenario of a regression or multiclass model (`models[].task`), with at most one incident.
///
/// - `regression`: a delivery-time model. The target (minutes) grows with the distance and the hour's
///   traffic; the prediction is the true mean plus model noise (standard deviation 4 minutes).
/// - `multiclass`: a support-ticket router over the classes ``ticketClasses``. It predicts the true class
///   about 85% of the time, with one probability column per class.
///
/// From ``incidentStartMs`` on, ``incident`` changes the rows (see ``Incident``); without a start the scenario is
/// healthy throughout. Labels arrive 1 to 72 hours after the prediction, and 5% never do; labels whose time falls
/// after the scenario's end are not written, as a job running at the end would not see them. Values are written
/// with fixed decimals, so the same scenario (kind, incident, seed, days, rate) always gives the same bytes.
public struct TaskScenario: Sendable, Hashable {
    /// What the model predicts.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case regression, multiclass
    }

    /// What goes wrong from ``incidentStartMs`` on. Each incident belongs to one kind (``Incident/kind``), except
    /// ``Incident/labelDrift``, which both kinds have.
    public enum Incident: String, Sendable, Hashable, CaseIterable {
        /// Regression: the predictions are 8 minutes too high on top of the noise (about half a standard
        /// deviation of the error; MAE about 6 → 9).
        case bias
        /// Regression: the model's noise grows from 4 to 10 minutes (standard deviation), unbiased (MAE about 6 → 9).
        case variance
        /// Multiclass: 60% of the `returns` tickets are predicted as `shipping`, with `shipping` the most probable class.
        case confusion
        /// Multiclass: the model all but stops predicting `technical`: 90% of those predictions become `billing`
        /// (the recall of `technical` falls from about 0.89 to about 0.09).
        case classCollapse = "class-collapse"
        /// The target's distribution changes and the model keeps up. Regression: deliveries get longer (the
        /// distance's mean goes from 6.5 to 11 km), so targets and predictions rise together and the error does not
        /// change. Multiclass: the true-class mix goes from 40/30/20/10% to 20/30/20/30%
        /// (billing/shipping/returns/technical); the model's per-class accuracy stays the same.
        case labelDrift = "label-drift"

        /// The kinds that have this incident.
        public var kinds: [Kind] {
            switch self {
            case .bias, .variance: [.regression]
            case .confusion, .classCollapse: [.multiclass]
            case .labelDrift: [.regression, .multiclass]
            }
        }
    }

    public var kind: Kind
    public var seed: UInt64
    /// First instant, epoch milliseconds (UTC).
    public var startMs: Int64
    public var days: Int
    /// Predictions per hour (constant).
    public var predictionsPerHour: Int
    /// When the incident starts (epoch ms); nil: no incident (a healthy scenario).
    public var incidentStartMs: Int64?
    /// What happens from ``incidentStartMs`` on; must be one of the kind's (``Incident/kinds``).
    public var incident: Incident

    /// The classes of the multiclass scenario, in order.
    public static let ticketClasses = ["billing", "shipping", "returns", "technical"]
    /// Class priors of the multiclass scenario.
    static let classPriors = [0.4, 0.3, 0.2, 0.1]
    /// Class priors during a ``Incident/labelDrift`` of the multiclass scenario (label PSI about 0.36).
    static let driftedClassPriors = [0.2, 0.3, 0.2, 0.3]
    /// The segment column's values.
    public static let regions = ["north", "south", "east", "west"]

    /// Names accepted by ``named(_:)``: `regression` and `multiclass`, each 30 days from 2026-10-01T00:00Z at
    /// 200 predictions an hour, seed 42, with an incident from 2026-10-25T00:00Z (day 25) as the binary presets:
    /// `regression` has the ``Incident/bias``, `multiclass` the ``Incident/confusion``. The 30-day calendars of the
    /// alert rules add `<kind>-healthy` (no incident) and `<kind>-<incident>` for the kind's other incidents:
    /// `regression-variance`, `regression-label-drift`, `multiclass-class-collapse`, `multiclass-label-drift`.
    public static let presetNames = Kind.allCases.map(\.rawValue) + Kind.allCases.flatMap { kind in
        ["\(kind.rawValue)-healthy"] + Incident.allCases.filter { $0.kinds.contains(kind) && $0 != defaultIncident(kind) }
            .map { "\(kind.rawValue)-\($0.rawValue)" }
    }

    /// The incident of the preset named after the kind alone.
    static func defaultIncident(_ kind: Kind) -> Incident { kind == .regression ? .bias : .confusion }

    public static func named(_ name: String) -> TaskScenario? {
        guard presetNames.contains(name) else { return nil }
        let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
        guard let kind = Kind(rawValue: parts[0]) else { return nil }
        let suffix = parts.count > 1 ? parts[1] : nil
        return TaskScenario(
            kind: kind, seed: 42, startMs: ScenarioConfig.presetStartMs, days: 30, predictionsPerHour: 200,
            incidentStartMs: suffix == "healthy" ? nil : ScenarioConfig.presetIncidentStartMs,
            incident: suffix.flatMap { Incident(rawValue: $0) } ?? defaultIncident(kind))
    }

    /// `incident` nil: the kind's classic one (`regression`: ``Incident/bias``, `multiclass`: ``Incident/confusion``).
    /// An incident of the other kind is a programming error.
    public init(kind: Kind, seed: UInt64, startMs: Int64, days: Int, predictionsPerHour: Int, incidentStartMs: Int64?,
                incident: Incident? = nil) {
        let incident = incident ?? Self.defaultIncident(kind)
        precondition(incident.kinds.contains(kind), "\(incident.rawValue) is not an incident of a \(kind.rawValue) model")
        self.kind = kind
        self.incident = incident
        self.seed = seed
        self.startMs = startMs
        self.days = days
        self.predictionsPerHour = predictionsPerHour
        self.incidentStartMs = incidentStartMs
    }

    /// One past the last instant.
    public var endMs: Int64 { startMs + Int64(days) * 86_400_000 }

    /// The score file's numeric and categorical feature columns.
    public var numericFeatures: [String] { kind == .regression ? ["distance_km", "items"] : ["message_length", "customer_age_days"] }
    public var categoricalFeatures: [String] { kind == .regression ? ["vehicle"] : ["channel"] }

    /// Generates the scenario: `scores` and `labels` receive the CSV bytes (header first), one hour at a time.
    /// Returns the number of predictions and labels written.
    public func generate(scores: ([UInt8]) -> Void, labels: ([UInt8]) -> Void) -> (predictions: Int, labels: Int) {
        var random = SeededRandom(seed: seed)
        let probabilityColumns = Self.ticketClasses.map { "p_\($0)" }
        var header = "prediction_id,prediction_time,prediction,region"
        if kind == .multiclass { header += "," + probabilityColumns.joined(separator: ",") }
        header += "," + (numericFeatures + categoricalFeatures).joined(separator: ",") + "\n"
        scores(Array(header.utf8))
        labels(Array("prediction_id,label,label_time\n".utf8))
        var predictions = 0
        var labelCount = 0
        let hours = days * 24
        for hour in 0..<hours {
            var scoreText = ""
            var labelText = ""
            for slot in 0..<predictionsPerHour {
                let timeMs = startMs + Int64(hour) * 3_600_000 + Int64(slot) * 3_600_000 / Int64(predictionsPerHour)
                let id = "\(kind == .regression ? "d" : "t")\(predictions)"
                let region = Self.regions[random.below(Self.regions.count)]
                let active = (incidentStartMs.map { timeMs >= $0 } ?? false) ? incident : nil
                let row = kind == .regression
                    ? regressionRow(&random, hourOfDay: hour % 24, incident: active)
                    : multiclassRow(&random, incident: active)
                scoreText += "\(id),\(TimeFormat.rfc3339(timeMs)),\(row.prediction),\(region),\(row.features)\n"
                predictions += 1
                let delayMs = Int64(1 + random.below(72)) * 3_600_000 + Int64(random.below(3_600)) * 1000
                let labelled = random.uniform() >= 0.05
                if labelled, timeMs + delayMs < endMs {
                    labelText += "\(id),\(row.label),\(TimeFormat.rfc3339(timeMs + delayMs))\n"
                    labelCount += 1
                }
            }
            scores(Array(scoreText.utf8))
            labels(Array(labelText.utf8))
        }
        return (predictions, labelCount)
    }

    private func regressionRow(_ random: inout SeededRandom, hourOfDay: Int, incident: Incident?) -> (prediction: String, label: String, features: String) {
        let (u, v) = (random.uniform(), random.uniform())
        // Mean 6.5 km, or 11 km during a label drift (the same two draws either way).
        let distance = (incident == .labelDrift ? 2 + 18 * ((u + v) / 2) : 2 + 18 * u * v).rounded(toDecimals: 2)
        let items = 1 + random.below(6)
        let vehicle = ["bike", "car", "van"][random.below(3)]
        let rush = hourOfDay >= 7 && hourOfDay <= 9 || hourOfDay >= 16 && hourOfDay <= 18 ? 8.0 : 0.0
        let mean = 12 + 2.5 * distance + 1.5 * Double(items) + rush + (vehicle == "bike" ? 4 : 0)
        let target = max(3, mean + 6 * random.normal()).rounded(toDecimals: 1)
        var prediction = mean + (incident == .variance ? 10 : 4) * random.normal()
        if incident == .bias { prediction += 8 }
        return (String(format2: prediction.rounded(toDecimals: 2)), String(format2: target), "\(distance),\(items),\(vehicle)")
    }

    private func multiclassRow(_ random: inout SeededRandom, incident: Incident?) -> (prediction: String, label: String, features: String) {
        let classes = Self.ticketClasses
        var draw = random.uniform()
        var truth = classes.count - 1
        for (index, prior) in (incident == .labelDrift ? Self.driftedClassPriors : Self.classPriors).enumerated() {
            if draw < prior { truth = index; break }
            draw -= prior
        }
        var predicted = random.uniform() < 0.85 ? truth : random.below(classes.count)
        if incident == .confusion, classes[truth] == "returns", random.uniform() < 0.6 { predicted = classes.firstIndex(of: "shipping")! }
        if incident == .classCollapse, classes[predicted] == "technical", random.uniform() < 0.9 { predicted = classes.firstIndex(of: "billing")! }
        // The predicted class gets 0.45–0.95; the rest share what is left, in thousandths (rows sum to 1 exactly).
        let top = 450 + random.below(501)
        var rest = 1000 - top
        var thousandths = [Int](repeating: 0, count: classes.count)
        thousandths[predicted] = top
        let others = (0..<classes.count).filter { $0 != predicted }
        for (position, index) in others.enumerated() {
            let share = position == others.count - 1 ? rest : min(rest, random.below(rest / 2 + 1))
            thousandths[index] = min(share, top - 1)
            rest -= thousandths[index]
        }
        thousandths[predicted] += rest
        let probabilities = thousandths.map { String(format3: Double($0) / 1000) }.joined(separator: ",")
        let length = 20 + random.below(400)
        let age = random.below(2000)
        let channel = ["email", "chat", "phone"][random.below(3)]
        return (classes[predicted], classes[truth], "\(probabilities),\(length),\(age),\(channel)")
    }
}

extension Double {
    func rounded(toDecimals decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}

extension String {
    /// Fixed two decimals, without Foundation.
    init(format2 value: Double) { self = TimeFormat.fixed(value, decimals: 2) }
    /// Fixed three decimals.
    init(format3 value: Double) { self = TimeFormat.fixed(value, decimals: 3) }
}

/// Text forms of the task scenarios' values, without Foundation.
enum TimeFormat {
    /// RFC 3339 UTC with milliseconds, as the binary generator writes it.
    static func rfc3339(_ epochMs: Int64) -> String {
        let days = epochMs >= 0 ? epochMs / 86_400_000 : (epochMs - 86_399_999) / 86_400_000
        let msOfDay = epochMs - days * 86_400_000
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2)):"
            + "\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))Z"
    }

    /// `value` with exactly `decimals` decimals (rounded half away from zero).
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = powersOfTen[decimals]
        let scaled = Int64((value.magnitude * scale).rounded(.toNearestOrAwayFromZero))
        let unit = Int64(scale)
        let fraction = String(scaled % unit)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return "\(sign)\(scaled / unit).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }
}
