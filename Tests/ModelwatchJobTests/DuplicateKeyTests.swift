import ModelwatchConfiguration
import ModelwatchJob
import Testing

/// A key written twice in one YAML mapping is a configuration error naming the key and both lines, wherever it is.
@Suite("Duplicate config keys")
struct DuplicateKeyTests {
    static let file = "/etc/modelwatch/model.yaml"

    @Test("a key given twice is an error naming its path and both lines", arguments: [
        // (yaml, key path, first line, second line)
        ("models:\n  - name: m\n    window: 1d\n    maturity: 1d\n    window: 1h\n    scores: {path: s.csv, columns: {}}\n    labels: {path: l.csv, columns: {}}\n",
         "models[0].window", 3, 5),
        ("run:\n  threads: 2\nrun:\n  threads: 3\nmodels: []\n", "run", 1, 3),
        ("models:\n  - name: m\n    window: 1d\n    maturity: 1d\n    scores: {path: s.csv, path: t.csv, columns: {}}\n    labels: {path: l.csv, columns: {}}\n",
         "models[0].scores.path", 5, 5),
        ("models:\n  - name: a\n    window: 1d\n    maturity: 1d\n    scores:\n      path: s.csv\n      columns:\n        id: x\n        id: y\n    labels: {path: l.csv, columns: {}}\n",
         "models[0].scores.columns.id", 8, 9),
    ])
    func duplicateKeyIsAnError(_ yaml: String, _ key: String, _ firstLine: Int, _ secondLine: Int) {
        do {
            _ = try ConfigLoader.parse(yaml: yaml, file: Self.file, environment: [:])
            Issue.record("the config parsed:\n\(yaml)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.file == Self.file)
            #expect(error.message.contains("given twice (line \(firstLine) and line \(secondLine))"), "\(error)")
        }
    }

    @Test("the same key in two different mappings is not a duplicate")
    func sameKeyInSiblingMappings() throws {
        let yaml = """
            models:
              - name: a
                window: 1d
                maturity: 1d
                scores: {path: s.csv, columns: {}}
                labels: {path: l.csv, columns: {}}
              - name: b
                window: 1d
                maturity: 1d
                scores: {path: s.csv, columns: {}}
                labels: {path: l.csv, columns: {}}
            """
        #expect(try ConfigLoader.parse(yaml: yaml, file: Self.file, environment: [:]).models.count == 2)
    }
}

/// The `timezone` and `timestamp_unit` keys of a source.
@Suite("Source time declarations in the config")
struct SourceTimeDeclarationConfigTests {
    static func yaml(scores extra: String, postgres: Bool = false) -> String {
        let location = postgres ? "postgres: {host: localhost, database: d, user: u, table: s}" : "path: s.csv"
        return "models:\n  - name: m\n    window: 1d\n    maturity: 1d\n    scores:\n      \(location)\n      columns: {}\n\(extra)\n    labels: {path: l.csv, columns: {}}\n"
    }

    @Test("every epoch unit can be declared", arguments: ["seconds", "milliseconds", "microseconds", "nanoseconds", "auto"])
    func epochUnits(_ unit: String) throws {
        let configuration = try ConfigLoader.parse(yaml: Self.yaml(scores: "      timestamp_unit: \(unit)"), file: "c.yaml", environment: [:])
        #expect(configuration.models[0].scores.timestampUnit.rawValue == unit)
    }

    @Test("valid time zones are read as offsets in minutes", arguments: [("UTC", 0), ("Z", 0), ("'+02:00'", 120), ("'-05:30'", -330), ("'+00:00'", 0)])
    func validZone(_ text: String, _ minutes: Int) throws {
        let configuration = try ConfigLoader.parse(yaml: Self.yaml(scores: "      timezone: \(text)"), file: "c.yaml", environment: [:])
        #expect(configuration.models[0].scores.timeZoneOffsetMinutes == minutes)
    }

    @Test("invalid declarations name the key", arguments: [
        ("      timezone: Europe/Paris", false, "models[m].scores.timezone", "named time zone"),
        ("      timezone: '+25:00'", false, "models[m].scores.timezone", "fixed offset"),
        ("      timezone: local", false, "models[m].scores.timezone", "got `local`"),
        ("      timezone: '+02:00'", true, "models[m].scores.timezone", "PostgreSQL"),
        ("      timestamp_unit: undeclared", false, "models[m].scores.timestamp_unit", "seconds, milliseconds, microseconds, nanoseconds or auto"),
    ])
    func invalid(_ extra: String, _ postgres: Bool, _ key: String, _ fragment: String) {
        do {
            _ = try ConfigLoader.parse(yaml: Self.yaml(scores: extra, postgres: postgres), file: "c.yaml", environment: [:])
            Issue.record("parsed")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
