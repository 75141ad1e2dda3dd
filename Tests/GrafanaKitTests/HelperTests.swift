import Foundation
import Testing

@Suite("Test helpers: InfluxQL identifiers, variable references, GitHub anchors, durations")
struct HelperTests {
    struct IdentifierCase: Sendable, CustomTestStringConvertible {
        let query: String
        let measurements: Set<String>
        let fields: Set<String>
        let whereKeys: Set<String>
        let groupBy: Set<String>
        var testDescription: String { query }
    }

    @Test("extracts measurements, selected fields, WHERE and GROUP BY keys", arguments: [
        IdentifierCase(
            query: #"SELECT mean("auc") FROM "modelwatch_performance" WHERE "model" =~ /^${model:regex}$/ AND "sufficient" = false AND $timeFilter GROUP BY time($__interval), "model", "version" fill(none)"#,
            measurements: ["modelwatch_performance"], fields: ["auc"], whereKeys: ["model", "sufficient"],
            groupBy: ["model", "version"]),
        IdentifierCase(
            query: #"SELECT "n", "auc", "sufficient" FROM "modelwatch_performance" WHERE $timeFilter GROUP BY "model" ORDER BY time DESC LIMIT 5"#,
            measurements: ["modelwatch_performance"], fields: ["n", "auc", "sufficient"], whereKeys: [], groupBy: ["model"]),
        IdentifierCase(
            query: #"SELECT max("psi") FROM (SELECT last("psi") AS "psi" FROM "modelwatch_feature" WHERE "feature" =~ /^${feature:regex}$/ AND $timeFilter GROUP BY "model", "feature")"#,
            measurements: ["modelwatch_feature"], fields: ["psi"], whereKeys: ["feature"], groupBy: ["model", "feature"]),
        IdentifierCase(
            query: #"SELECT mean("observed_rate") - mean("mean_predicted") AS "gap" FROM "modelwatch_calibration_bin" WHERE $timeFilter GROUP BY time(1h), "bin" fill(none)"#,
            measurements: ["modelwatch_calibration_bin"], fields: ["observed_rate", "mean_predicted"], whereKeys: [],
            groupBy: ["bin"]),
        IdentifierCase(
            query: #"SELECT last("auc") FROM "modelwatch_performance" WHERE "segment" = 'all' AND ("provisional" = false OR "label_coverage" >= 0.5) AND "sufficient" = true AND $timeFilter GROUP BY time(1h), "model" fill(none)"#,
            measurements: ["modelwatch_performance"], fields: ["auc"],
            whereKeys: ["segment", "provisional", "label_coverage", "sufficient"], groupBy: ["model"]),
        IdentifierCase(
            query: #"SHOW TAG VALUES FROM "modelwatch_output" WITH KEY = "version" WHERE "model" =~ /^${model:regex}$/ AND $timeFilter"#,
            measurements: ["modelwatch_output"], fields: [], whereKeys: ["model"], groupBy: []),
    ])
    func extractsIdentifiers(item: IdentifierCase) {
        let ids = InfluxQLIdentifiers(item.query)
        #expect(ids.measurements == item.measurements)
        #expect(ids.selectedFields == item.fields)
        #expect(ids.whereKeys == item.whereKeys)
        #expect(ids.groupByKeys == item.groupBy)
    }

    @Test("the outer statement drops subqueries", arguments: [
        (#"SELECT max("psi") FROM (SELECT last("psi") AS "psi" FROM "f" WHERE $timeFilter GROUP BY "model", "feature")"#,
         #"SELECT max("psi") FROM (subquery)"#),
        (#"SELECT mean("x") FROM (SELECT "x" FROM "m" WHERE ("a" = 1 OR "b" = 2)) GROUP BY "model""#,
         #"SELECT mean("x") FROM (subquery) GROUP BY "model""#),
        (#"SELECT "x" FROM "m" GROUP BY "model""#, #"SELECT "x" FROM "m" GROUP BY "model""#),
    ])
    func outerStatementDropsSubqueries(query: String, outer: String) {
        #expect(InfluxQLIdentifiers.outerStatement(query) == outer)
    }

    @Test("aliases and WITH KEY are collected")
    func collectsAliasesAndShowKeys() {
        let ids = InfluxQLIdentifiers(#"SELECT last("run_as_of_seconds") * 1000 AS "last success" FROM "modelwatch_run" WHERE $timeFilter"#)
        #expect(ids.aliases == ["last success"])
        #expect(ids.selectedFields == ["run_as_of_seconds"])
        #expect(InfluxQLIdentifiers(#"SHOW TAG VALUES FROM "m" WITH KEY = "feature" WHERE $timeFilter"#).showTagKeys == ["feature"])
    }

    @Test("finds every variable syntax Grafana interpolates", arguments: [
        ("$model", "model", nil as String?),
        ("${model}", "model", nil),
        ("${model:regex}", "model", "regex"),
        ("[[model]]", "model", nil),
        ("[[model:raw]]", "model", "raw"),
        ("${segment_value.text}", "segment_value", nil),
    ])
    func findsVariableReferences(text: String, name: String, format: String?) {
        let references = VariableReference.all(in: "WHERE x = \(text) AND $timeFilter")
        #expect(references.map(\.name) == [name, "timeFilter"])
        #expect(references.first?.format == format)
    }

    @Test("builtins are not template variables", arguments: ["timeFilter", "__interval", "__interval_ms", "interval", "tag_model", "col", "m"])
    func builtinsAreRecognised(name: String) {
        #expect(VariableReference.isBuiltin(name))
    }

    @Test("GitHub anchors", arguments: [
        ("AUC below floor", "auc-below-floor"),
        ("Sustained AUC drop: retrain", "sustained-auc-drop-retrain"),
        ("Model older than maximum age", "model-older-than-maximum-age"),
        ("Labels stopped arriving (coverage)", "labels-stopped-arriving-coverage"),
        ("`modelwatch_run` heartbeat", "modelwatch_run-heartbeat"),
        ("Spool — not draining", "spool--not-draining"),
    ])
    func slugMatchesGitHub(heading: String, anchor: String) {
        #expect(GitHubAnchors.slug(heading.replacingOccurrences(of: "`", with: "")) == anchor)
    }

    @Test("repeated headings get numbered anchors and code fences are skipped")
    func anchorsAreNumberedAndSkipFences() {
        let markdown = "# Title\n## What to do\n```\n## not a heading\n```\n## What to do ##\n"
        #expect(GitHubAnchors.anchors(markdown: markdown) == ["title", "what-to-do", "what-to-do-1"])
    }

    @Test("durations", arguments: [("0s", 0), ("10m", 600), ("1h30m", 5400), ("7d", 604_800), ("24h", 86400)])
    func parsesDurations(text: String, seconds: Int) {
        #expect(Durations.seconds(text) == seconds)
    }

    @Test("rejects malformed durations", arguments: ["", "5", "m", "5 m", "1.5h"])
    func rejectsMalformedDurations(text: String) {
        #expect(Durations.seconds(text) == nil)
    }
}
