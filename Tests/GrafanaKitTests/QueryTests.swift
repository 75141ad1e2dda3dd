import Foundation
import MetricSchema
import Testing

@Suite("Dashboard and alert queries")
struct QueryTests {
    @Test("every query is bounded by $timeFilter", arguments: Kit.allQueries)
    func queryHasTimeFilter(query: KitQuery) {
        #expect(query.query.contains("$timeFilter"), "\(query.query)")
    }

    @Test("every template variable a query uses is defined, with an explicit format",
          arguments: Kit.panelQueries + Kit.variableQueries)
    func queryVariablesAreDefined(query: KitQuery) throws {
        let file = String(query.location.prefix { $0 != " " })
        let defined = Set((try Repo.doc(file)["templating"]?["list"]?.array ?? []).compactMap { $0["name"]?.string })
        for reference in VariableReference.all(in: query.query) where !VariableReference.isBuiltin(reference.name) {
            #expect(defined.contains(reference.name), "$\(reference.name) is not a template variable of \(file)")
            #expect(reference.syntax == .braces && ["regex", "raw"].contains(reference.format ?? ""),
                    "$\(reference.name) must be written ${\(reference.name):regex} (or :raw)")
        }
    }

    @Test("regex-formatted variables sit in an anchored regex match", arguments: Kit.panelQueries + Kit.variableQueries)
    func regexVariablesAreAnchored(query: KitQuery) {
        for reference in VariableReference.all(in: query.query) where reference.format == "regex" {
            #expect(query.query.contains("\"\(reference.name)\" =~ /^${\(reference.name):regex}$/"),
                    "use \"\(reference.name)\" =~ /^${\(reference.name):regex}$/")
        }
    }

    @Test("alert queries group by an explicit time interval, never $__interval", arguments: Kit.alertQueries)
    func alertQueryHasExplicitInterval(query: KitQuery) {
        #expect(query.query.range(of: #"GROUP BY time\(\d+[smhdw]\)"#, options: .regularExpression) != nil,
                "\(query.query)")
        #expect(!query.query.contains("$__interval") && !query.query.contains("$interval"))
        #expect(VariableReference.all(in: query.query).allSatisfy { VariableReference.isBuiltin($0.name) },
                "alert queries cannot use dashboard variables")
        #expect(query.relativeFrom > query.relativeTo)
    }

    @Test("every measurement, field and key a query names exists in MetricSchema", arguments: Kit.allQueries)
    func queryNamesOnlySchemaIdentifiers(query: KitQuery) {
        let ids = InfluxQLIdentifiers(query.query)
        #expect(!ids.measurements.isEmpty, "no FROM \"measurement\"")
        let measurements = ids.measurements.compactMap { Schema.measurement(named: $0) }
        #expect(measurements.count == ids.measurements.count,
                "unknown measurement in \(ids.measurements.sorted())")
        func isField(_ key: String) -> Bool { measurements.contains { $0.hasField(key) } }
        func isTag(_ key: String) -> Bool { measurements.contains { $0.hasTag(key) } }
        for field in ids.selectedFields where !ids.aliases.contains(field) {
            #expect(isField(field), "\"\(field)\" is not a field of \(ids.measurements.sorted())")
        }
        for key in ids.whereKeys {
            #expect(isTag(key) || isField(key), "\"\(key)\" in WHERE is neither tag nor field")
        }
        for key in ids.groupByKeys {
            #expect(isTag(key), "\"\(key)\" in GROUP BY is not a tag")
        }
        for key in ids.showTagKeys {
            #expect(isTag(key), "\"\(key)\" in WITH KEY is not a tag")
        }
    }

    @Test("performance alerts use only sufficient windows that are final or at least half labelled")
    func performanceAlertsAreGatedOnSufficient() {
        let gated = ["mw-auc-below-floor", "mw-auc-drop", "mw-auc-sustained-drop", "mw-ece-high"]
        // The per-model threshold queries read the heartbeat (`modelwatch_run`), not performance windows.
        for query in Kit.alertQueries where gated.contains(where: { query.location.contains("rule \($0) ") })
            && !query.query.contains("FROM \"modelwatch_run\"") {
            #expect(query.query.contains("\"sufficient\" = true"), "\(query.location)")
            #expect(query.query.contains("(\"provisional\" = false OR \"label_coverage\" >= 0.5)"), "\(query.location)")
        }
        #expect(Kit.alertQueries.filter { $0.query.contains("modelwatch_performance") }.count >= 6)
    }
}
