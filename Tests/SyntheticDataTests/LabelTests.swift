import SyntheticData
import Testing

@Suite struct LabelTests {
    @Test func labelsBelongToEmittedPredictionsAndComeAfterThem() throws {
        let parsed = Parsed(try generate(smallConfig(days: 2, perHour: 100)))
        var predictionTime: [String: String] = [:]
        for row in parsed.rows { predictionTime[row[0]] = row[1] }
        let ids = parsed.labels.map(\.id)
        #expect(Set(ids).count == ids.count)
        for label in parsed.labels {
            guard let time = predictionTime[label.id] else {
                Issue.record("label for unknown prediction \(label.id)")
                return
            }
            #expect(label.time >= time)
            #expect(label.label == 0 || label.label == 1)
        }
        let times = parsed.labels.map(\.time)
        #expect(times == times.sorted(), "labels come in label_time order")
        #expect(ids != ids.sorted(), "which is not prediction order")
    }

    @Test(arguments: [0.1, 0.3])
    func unlabelledFractionMatchesTheConfig(fraction: Double) throws {
        var config = smallConfig(days: 1, perHour: 150)
        config.unlabelledFraction = fraction
        let output = try generate(config)
        let observed = 1 - Double(output.summary.labels) / Double(output.summary.predictions)
        #expect(abs(observed - fraction) < 0.02)
    }

    @Test func labelsAfterTheEndAreDroppedByDefault() throws {
        var config = smallConfig(days: 2, perHour: 60)
        config.dropLabelsAfterEnd = true
        let parsed = Parsed(try generate(config))
        #expect(parsed.labels.allSatisfy { $0.time < formatTimestamp(config.endMs) })
        config.dropLabelsAfterEnd = false
        let all = Parsed(try generate(config))
        #expect(all.labels.count > parsed.labels.count)
        #expect(all.labels.contains { $0.time >= formatTimestamp(config.endMs) })
    }

    @Test func shuffledLabelsAreTheSameLabelsInAnotherOrder() throws {
        var config = smallConfig(days: 1, perHour: 100)
        let ordered = Parsed(try generate(config))
        config.shuffleLabels = true
        let shuffled = Parsed(try generate(config))
        func key(_ label: (id: String, label: Int, time: String)) -> String { "\(label.id),\(label.label),\(label.time)" }
        #expect(ordered.labels.map(key) != shuffled.labels.map(key))
        #expect(ordered.labels.map(key).sorted() == shuffled.labels.map(key).sorted())
        #expect(ordered.rows == shuffled.rows)
    }

    @Test func labelDelaysHaveAMedianOfAboutTwoDays() throws {
        let parsed = Parsed(try generate(smallConfig(days: 1, perHour: 100)))
        var predictionTime: [String: String] = [:]
        for row in parsed.rows { predictionTime[row[0]] = row[1] }
        func days(_ iso: String) -> Double { Double(parseTimestamp(iso)) / Double(dayMs) }
        let delays = parsed.labels.map { days($0.time) - days(predictionTime[$0.id]!) }.sorted()
        let median = delays[delays.count / 2]
        let p95 = delays[delays.count * 95 / 100]
        #expect(median > 1.7 && median < 2.3)
        #expect(p95 > 5.5 && p95 < 8.5)
    }

    @Test func pendingLabelsStayBounded() throws {
        let output = try generate(smallConfig(days: 8, perHour: 20))
        // About (predictions per day) × (mean delay ≈ 2.7 days), far below the scenario's labels.
        #expect(output.summary.peakPendingLabels < 480 * 4)
        #expect(output.summary.peakPendingLabels < output.summary.labels / 2)
    }
}
