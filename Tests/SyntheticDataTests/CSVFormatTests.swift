@testable import SyntheticData
import Testing

@Suite struct CSVFormatTests {
    @Test func headersListTheColumnsInOrder() throws {
        let generator = try Generator(config: smallConfig())
        var expected = "prediction_id,prediction_time,model_version,score,region"
        for i in 0..<12 { expected += ",f_num_" + (i < 10 ? "0" : "") + String(i) }
        for i in 0..<4 { expected += ",f_cat_0" + String(i) }
        #expect(generator.scoresHeader == expected)
        #expect(Generator.labelsHeader == "prediction_id,label,label_time")
        let output = try generate(smallConfig(days: 1, perHour: 5))
        #expect(output.scores.starts(with: Array((expected + "\n").utf8)))
        #expect(output.labels.starts(with: Array("prediction_id,label,label_time\n".utf8)))

        var wide = smallConfig()
        wide.numericFeatures = 120
        wide.categoricalFeatures = 3
        let header = Generator.scoresHeader(for: wide)!
        #expect(header.contains(",f_num_000,") && header.contains(",f_num_119,") && header.hasSuffix(",f_cat_02"))
    }

    @Test func specialRegionNamesAreQuoted() throws {
        let output = try generate(smallConfig(days: 1, perHour: 100))
        let text = String(decoding: output.scores, as: UTF8.self)
        #expect(text.contains(",\"apac,north\","))
        #expect(text.contains(",\"me \"\"gulf\"\"\","))
        #expect(text.contains(",us east,"))
        #expect(text.contains(",São Paulo,"))
        let parsed = Parsed(output)
        #expect(parsed.rows.allSatisfy { $0.count == parsed.header.count })
        var counts: [String: Int] = [:]
        for row in parsed.rows { counts[row[4], default: 0] += 1 }
        #expect(Set(counts.keys) == Set(Generator.regions))
        // Unequal volumes, most frequent first.
        let ordered = Generator.regions.map { counts[$0]! }
        #expect(ordered == ordered.sorted(by: >))
    }

    @Test func fieldEncodingFollowsRFC4180() {
        #expect(CSV.encodeField("plain") == Array("plain".utf8))
        #expect(CSV.encodeField("a,b") == Array("\"a,b\"".utf8))
        #expect(CSV.encodeField("say \"hi\"") == Array("\"say \"\"hi\"\"\"".utf8))
        #expect(CSV.encodeField("two\nlines") == Array("\"two\nlines\"".utf8))
    }

    func formatted(_ write: (inout ChunkWriter) -> Void) -> String {
        var writer = ChunkWriter(chunkSize: 1024, maxRowBytes: 64)
        write(&writer)
        var text = ""
        writer.flush { text = String(decoding: $0, as: UTF8.self) }
        return text
    }

    @Test(arguments: [
        (0.0, 4, "0.0000"), (1.0, 4, "1.0000"), (0.12345, 4, "0.1235"), (0.99995, 4, "1.0000"),
        (-0.00004, 4, "0.0000"), (-1.5, 0, "-2"), (2.5, 0, "3"), (123.456, 2, "123.46"), (-3.14159, 3, "-3.142"),
        (0.05, 1, "0.1"), (1e12, 2, "999999999.00"), (Double.nan, 1, "999999999.0"),
    ])
    func fixedDecimalFormatting(value: Double, decimals: Int, expected: String) {
        #expect(formatted { $0.fixed(value, decimals: decimals) } == expected)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_795_179_902_123), "2026-11-20T13:05:02.123Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(253_402_300_799_999), "9999-12-31T23:59:59.999Z"),
    ])
    func timestampFormatting(ms: Int64, expected: String) {
        #expect(formatted { $0.timestamp(ms) } == expected)
    }

    @Test func generatedTimestampsRoundTrip() throws {
        let parsed = Parsed(try generate(smallConfig(days: 1, perHour: 20)))
        for row in parsed.rows.prefix(200) {
            #expect(formatTimestamp(parseTimestamp(row[1])) == row[1])
            #expect(row[1].utf8.count == 24)
        }
    }
}
