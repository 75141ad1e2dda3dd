import SyntheticData
import Testing

/// Each incident starts after 2 of 3 days; its statistic is compared before and after.
@Suite struct IncidentTests {
    static let incidentStart = testStart + 2 * dayMs

    func run(_ incident: Incident, perHour: Int = 80) throws -> Parsed {
        Parsed(try generate(smallConfig(seed: 9, days: 3, perHour: perHour, incidents: [incident])))
    }

    @Test func featureMissingEmptiesTheColumn() throws {
        let parsed = try run(.featureMissing(feature: "f_num_03", startMs: Self.incidentStart))
        let column = parsed.column("f_num_03")
        let (before, after) = parsed.split(at: Self.incidentStart)
        func missingRate(_ rows: [[String]]) -> Double {
            Double(rows.filter { $0[column].isEmpty }.count) / Double(rows.count)
        }
        #expect(missingRate(before) < 0.04)
        #expect(missingRate(after) == 1.0)
        let other = parsed.column("f_num_02")
        #expect(after.filter { $0[other].isEmpty }.count < after.count / 10)
    }

    @Test func numericDriftShiftsTheMeanByKStandardDeviations() throws {
        let parsed = try run(.featureDrift(feature: "f_num_05", shift: 1.0, startMs: Self.incidentStart))
        let column = parsed.column("f_num_05")  // N(50, 10)
        let (before, after) = parsed.split(at: Self.incidentStart)
        let shift = mean(after.compactMap { Double($0[column]) }) - mean(before.compactMap { Double($0[column]) })
        #expect(abs(shift - 10) < 1.5, "shift \(shift)")
    }

    @Test func categoricalDriftChangesTheMix() throws {
        let parsed = try run(.featureDrift(feature: "f_cat_00", shift: 3, startMs: Self.incidentStart))
        let column = parsed.column("f_cat_00")
        let (before, after) = parsed.split(at: Self.incidentStart)
        func share(_ rows: [[String]]) -> Double {
            Double(rows.filter { $0[column] == "partner" }.count) / Double(rows.count)
        }
        #expect(share(before) < 0.12)
        #expect(share(after) > 0.35)
    }

    @Test func modelDegradationDropsAUC() throws {
        let parsed = try run(.modelDegradation(strength: 0.7, startMs: Self.incidentStart), perHour: 150)
        let (before, after) = parsed.split(at: Self.incidentStart)
        let aucBefore = auc(parsed.labelled(before))
        let aucAfter = auc(parsed.labelled(after))
        #expect(aucBefore > 0.74, "before \(aucBefore)")
        #expect(aucAfter > 0.54 && aucAfter < 0.66, "after \(aucAfter)")
    }

    @Test func labelsStopAtTheStart() throws {
        let parsed = try run(.labelsStop(startMs: Self.incidentStart))
        let cut = formatTimestamp(Self.incidentStart)
        #expect(parsed.labels.allSatisfy { $0.time < cut })
        let after = Set(parsed.split(at: Self.incidentStart).after.map { $0[0] })
        #expect(!parsed.labels.contains { after.contains($0.id) })
        #expect(parsed.labels.count > 300)
    }

    @Test func volumeCollapses() throws {
        let incident = Incident.volumeCollapse(factor: 0.05, startMs: Self.incidentStart)
        let parsed = try run(incident)
        let (before, after) = parsed.split(at: Self.incidentStart)
        let beforePerDay = Double(before.count) / 2
        #expect(Double(after.count) / beforePerDay < 0.07)
        #expect(Double(after.count) / beforePerDay > 0.03)
        #expect(parsed.rows.count == VolumeModel(config: smallConfig(seed: 9, days: 3, perHour: 80, incidents: [incident])).total)
    }

    @Test func scoreShiftBreaksCalibration() throws {
        let parsed = try run(.scoreShift(logitShift: 1.0, startMs: Self.incidentStart))
        let (before, after) = parsed.split(at: Self.incidentStart)
        func gap(_ rows: [[String]]) -> Double {
            let pairs = parsed.labelled(rows)
            return mean(pairs.map(\.score)) - mean(pairs.map { Double($0.label) })
        }
        #expect(abs(gap(before)) < 0.03)
        #expect(gap(after) > 0.1)
    }

    @Test func covariateShiftDropsAUCAndKeepsCalibration() throws {
        let parsed = try run(.covariateShift(spread: 0.35, startMs: Self.incidentStart), perHour: 150)
        let (before, after) = parsed.split(at: Self.incidentStart)
        let aucBefore = auc(parsed.labelled(before))
        let aucAfter = auc(parsed.labelled(after))
        #expect(aucBefore > 0.74, "before \(aucBefore)")
        #expect(aucAfter > 0.54 && aucAfter < 0.66, "after \(aucAfter)")
        // Calibrated on both sides: per score decile, the positive rate follows the mean score.
        for rows in [before, after] {
            let pairs = parsed.labelled(rows).sorted { $0.score < $1.score }
            let bins = 5
            for b in 0..<bins {
                let bin = pairs[(b * pairs.count / bins)..<((b + 1) * pairs.count / bins)]
                let gap = mean(bin.map(\.score)) - mean(bin.map { Double($0.label) })
                #expect(abs(gap) < 0.06, "bin \(b): score − positive rate \(gap)")
            }
        }
        let spread = { (rows: [[String]]) in
            let scores = parsed.labelled(rows).map(\.score)
            let m = mean(scores)
            return mean(scores.map { ($0 - m) * ($0 - m) }).squareRoot()
        }
        #expect(spread(after) < 0.6 * spread(before), "score standard deviation \(spread(after)) vs \(spread(before))")
    }

    @Test func incidentsLeaveEverythingBeforeTheirStartUntouched() throws {
        let all: [Incident] = [
            .featureMissing(feature: "f_num_01", startMs: Self.incidentStart),
            .featureDrift(feature: "f_num_00", shift: 2, startMs: Self.incidentStart),
            .featureDrift(feature: "f_cat_01", shift: 1, startMs: Self.incidentStart),
            .modelDegradation(strength: 0.9, startMs: Self.incidentStart),
            .volumeCollapse(factor: 0.1, startMs: Self.incidentStart),
            .scoreShift(logitShift: 2, startMs: Self.incidentStart),
            .covariateShift(spread: 0.5, startMs: Self.incidentStart),
        ]
        let healthy = Parsed(try generate(smallConfig(seed: 4, days: 3, perHour: 30)))
        let broken = Parsed(try generate(smallConfig(seed: 4, days: 3, perHour: 30, incidents: all)))
        let healthySplit = healthy.split(at: Self.incidentStart)
        let brokenSplit = broken.split(at: Self.incidentStart)
        #expect(healthySplit.before == brokenSplit.before)
        #expect(healthySplit.after != brokenSplit.after)
    }
}
