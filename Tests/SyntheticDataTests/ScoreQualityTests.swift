import SyntheticData
import Testing

@Suite struct ScoreQualityTests {
    @Test func healthyScoresArePredictiveAndRoughlyCalibrated() throws {
        let parsed = Parsed(try generate(smallConfig(seed: 21, days: 1, perHour: 300)))
        let pairs = parsed.labelled(parsed.rows)
        #expect(pairs.count > 5500)
        let area = auc(pairs)
        #expect(area > 0.74 && area < 0.86, "AUC \(area)")
        let meanScore = mean(pairs.map(\.score))
        let positiveRate = mean(pairs.map { Double($0.label) })
        #expect(abs(meanScore - positiveRate) < 0.02, "mean score \(meanScore) vs positive rate \(positiveRate)")
        // Top decile: predicted and observed agree too.
        let top = pairs.sorted { $0.score > $1.score }.prefix(pairs.count / 10)
        #expect(abs(mean(top.map(\.score)) - mean(top.map { Double($0.label) })) < 0.06)
    }

    @Test func scoresAreRoundedToTheConfiguredDecimals() throws {
        var config = smallConfig(days: 1, perHour: 100)
        config.scoreDecimals = 2
        let parsed = Parsed(try generate(config))
        let scores = parsed.rows.map { $0[3] }
        #expect(scores.allSatisfy { $0.count == 4 && $0.hasPrefix("0.") || $0 == "1.00" })
        #expect(Set(scores).count <= 101)
        let values = scores.map { Double($0)! }
        #expect(values.allSatisfy { (0...1).contains($0) })
    }

    @Test func emptyCellsOccurAtAboutTheConfiguredRate() throws {
        let parsed = Parsed(try generate(smallConfig(days: 1, perHour: 150)))
        let featureColumns = 5..<parsed.header.count
        #expect(featureColumns.count == 16)
        var empty = 0
        for row in parsed.rows {
            #expect(!row[0].isEmpty && !row[1].isEmpty && !row[3].isEmpty && !row[4].isEmpty)
            for column in featureColumns where row[column].isEmpty { empty += 1 }
        }
        let rate = Double(empty) / Double(parsed.rows.count * featureColumns.count)
        #expect(abs(rate - 0.02) < 0.004, "empty rate \(rate)")
    }

    @Test func modelVersionSwitchesAtTheConfiguredInstant() throws {
        var config = smallConfig(days: 1, perHour: 40)
        let switchMs = testStart + 10 * hourMs
        config.versionSwitchAtMs = switchMs
        let parsed = Parsed(try generate(config))
        let (before, after) = parsed.split(at: switchMs)
        #expect(before.allSatisfy { $0[2] == "v1" } && !before.isEmpty)
        #expect(after.allSatisfy { $0[2] == "v2" } && !after.isEmpty)
        let plain = Parsed(try generate(smallConfig(days: 1, perHour: 40)))
        #expect(plain.rows.allSatisfy { $0[2] == "v1" })
    }

    @Test func featuresHaveTheirDistributions() throws {
        let parsed = Parsed(try generate(smallConfig(days: 1, perHour: 150)))
        func values(_ name: String) -> [Double] {
            let column = parsed.column(name)
            return parsed.rows.compactMap { Double($0[column]) }
        }
        #expect(abs(mean(values("f_num_00"))) < 0.1)                       // N(0, 1)
        #expect(values("f_num_01").allSatisfy { $0 > 0 })                   // lognormal
        #expect(values("f_num_02").allSatisfy { (0...100).contains($0) })   // uniform
        #expect(values("f_num_03").allSatisfy { $0 == $0.rounded() && $0 >= 0 })  // counts
        let zeroShare = Double(values("f_num_04").filter { $0 == 0 }.count) / Double(values("f_num_04").count)
        #expect(zeroShare > 0.8 && zeroShare < 0.9)                         // mostly zero
        let levels = parsed.column("f_cat_00")
        #expect(Set(parsed.rows.map { $0[levels] }.filter { !$0.isEmpty }) == ["web", "ios", "android", "partner"])
        let longTail = Set(parsed.rows.map { $0[parsed.column("f_cat_02")] })
        #expect(longTail.count > 300)
    }
}
