import SyntheticData
import Testing

@Suite struct VolumeAndOrderTests {
    @Test func rowCountsMatchTheVolumeModel() throws {
        let config = smallConfig(days: 2, perHour: 50)
        let output = try generate(config)
        let parsed = Parsed(output)
        let volume = VolumeModel(config: config)
        #expect(parsed.rows.count == volume.total)
        #expect(output.summary.predictions == volume.total)

        // Per hour, and with a daily cycle: peak at 15:00 UTC, trough at 03:00 UTC.
        var perHour = [Int](repeating: 0, count: volume.hours)
        for row in parsed.rows {
            let hour = (0..<volume.hours).last { formatTimestamp(volume.hourStartMs($0)) <= row[1] }!
            perHour[hour] += 1
        }
        #expect(perHour == (0..<volume.hours).map { volume.count(hour: $0) })
        #expect(volume.count(hour: 15) == 80 && volume.count(hour: 3) == 20)
        // A day's total is close to 24 × the hourly mean.
        #expect(abs((0..<24).reduce(0) { $0 + volume.count(hour: $1) } - 24 * 50) <= 12)
    }

    @Test func rowsAreInPredictionTimeOrderWithinTheScenario() throws {
        let config = smallConfig(days: 1, perHour: 40)
        let parsed = Parsed(try generate(config))
        let times = parsed.rows.map { $0[1] }
        #expect(times == times.sorted())
        #expect(times.first! >= formatTimestamp(config.startMs))
        #expect(times.last! < formatTimestamp(config.endMs))
    }

    @Test func predictionIDsAreUniqueAndSequential() throws {
        let parsed = Parsed(try generate(smallConfig(days: 1, perHour: 40)))
        let ids = parsed.rows.map { $0[0] }
        #expect(Set(ids).count == ids.count)
        #expect(ids.first == "p00000000000")
        #expect(ids.last == Generator.predictionID(Int64(ids.count - 1)))
    }

    @Test func zeroVolumeGivesHeadersOnly() throws {
        let output = try generate(smallConfig(days: 1, perHour: 0))
        #expect(output.summary.predictions == 0 && output.summary.labels == 0)
        #expect(String(decoding: output.labels, as: UTF8.self) == Generator.labelsHeader + "\n")
    }
}
