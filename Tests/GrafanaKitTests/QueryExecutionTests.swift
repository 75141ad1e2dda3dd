import Foundation
import MetricSchema
import Testing

/// Every panel, variable and alert query of the kit, rendered the way Grafana renders it
/// (``GrafanaQueryRenderer``) and executed against a real InfluxDB that modelwatch filled from the
/// generator's `demo` scenario (``ScenarioInflux/Recipe/demo``). Each must return the series the written points
/// imply — right measurement, right tag combinations, real values — not merely no error.
@Suite("Queries against modelwatch's demo output in a real InfluxDB")
struct QueryExecutionTests {
    /// Dashboards are viewed with every variable on "All" (the widest selection, so thin windows of
    /// small segments are in play), over the whole demo plus the performance windows stamped before it.
    static let dashboardVariables: [GrafanaQueryRenderer.Variable] =
        ["model", "version", "segment", "segment_value", "feature"].map { .all($0) }

    static func dashboardRenderer(_ demo: ScenarioInflux) -> GrafanaQueryRenderer {
        let from = (demo.asOfs.first ?? 0) - 9 * ScenarioInflux.dayMs  // the demo's start minus 8 days
        let to = (demo.asOfs.last ?? 0) + 3_600_000
        let interval = GrafanaQueryRenderer.dashboardIntervalMs(fromMs: from, toMs: to, maxDataPoints: 1000,
                                                                 minIntervalMs: 60_000)
        return GrafanaQueryRenderer(variables: dashboardVariables, fromMs: from, toMs: to, intervalMs: interval)
    }

    /// Alerts are evaluated one hour after the last daily run.
    static func alertNow(_ demo: ScenarioInflux) -> Int64 { (demo.asOfs.last ?? 0) + 3_600_000 }

    /// The demo fixture, or `nil` when it cannot be built and skipping is allowed.
    static func demo() async throws -> ScenarioInflux? { try await load(.demo) }

    /// The dashboard of regression and multiclass models, whose queries run against ``ScenarioInflux/Recipe/tasks``.
    static let taskDashboard = "grafana/dashboards/task-models.json"

    /// The rules of regression and multiclass models, whose queries run against ``ScenarioInflux/Recipe/tasks`` too.
    static let taskRules = "grafana/provisioning/alerting/rules-tasks.json"

    /// The fixture a query of `location` runs against: the task scenarios for the task dashboard and rules, else the demo.
    static func fixture(for location: String) async throws -> ScenarioInflux? {
        location.hasPrefix(taskDashboard) || location.hasPrefix(taskRules) ? try await load(.tasks) : try await demo()
    }

    /// A scenario fixture, or `nil` when modelwatch or influxd is missing and MODELWATCH_ALLOW_SKIP=1.
    static func load(_ recipe: ScenarioInflux.Recipe) async throws -> ScenarioInflux? {
        do {
            return try await ScenarioInflux.scenario(recipe)
        } catch let error as ScenarioInflux.SetupError {
            if case .missing = error, ProcessInfo.processInfo.environment["MODELWATCH_ALLOW_SKIP"] == "1" { return nil }
            throw error
        }
    }

    // MARK: Expectations from the written points

    /// `"key" = 'value'` filters of a query (tag equality the oracle can apply).
    static func tagEqualities(_ query: String) -> [(String, String)] {
        guard let regex = try? NSRegularExpression(pattern: #""([^"]+)"\s*=\s*'([^']*)'"#) else { return [] }
        return regex.matches(in: query, range: NSRange(query.startIndex..., in: query)).compactMap { match in
            guard let key = Range(match.range(at: 1), in: query), let value = Range(match.range(at: 2), in: query) else {
                return nil
            }
            return (String(query[key]), String(query[value]))
        }
    }

    struct Expectation {
        /// Tag combinations (over the GROUP BY tag keys) of the points the query can see.
        let combinations: Set<[String: String]>
        /// Whether the query also filters on field values, so only a subset of `combinations` may come back.
        let filtersOnFields: Bool
        let groupBy: Set<String>
    }

    static func expectation(for query: String, points: [WrittenPoint], fromMs: Int64, toMs: Int64) -> Expectation {
        let ids = InfluxQLIdentifiers(query)
        let measurements = ids.measurements.compactMap { Schema.measurement(named: $0) }
        let fieldFilters = ids.whereKeys.filter { key in measurements.contains { $0.hasField(key) } }
        let selected = ids.selectedFields.subtracting(ids.aliases)
        let equalities = tagEqualities(query)
        // Series come from the outer statement's GROUP BY (a subquery's grouping is aggregated away).
        let groupBy = InfluxQLIdentifiers(InfluxQLIdentifiers.outerStatement(query)).groupByKeys
        let combinations = Set(points.filter { point in
            ids.measurements.contains(point.measurement)
                && point.timestampMs >= fromMs && point.timestampMs <= toMs
                && equalities.allSatisfy { point.tags[$0.0] == $0.1 }
                && (selected.isEmpty || !point.fields.isDisjoint(with: selected))
        }.map { point in point.tags.filter { groupBy.contains($0.key) } })
        return Expectation(combinations: combinations, filtersOnFields: !fieldFilters.isEmpty, groupBy: groupBy)
    }

    static func check(_ query: KitQuery, rendered: String, series: [ScenarioInflux.Series], expectation: Expectation) {
        #expect(!series.isEmpty, "\(query.location) returned no series:\n\(rendered)")
        for item in series {
            #expect(!item.nonNullValues.isEmpty, "\(query.location): series \(item.tags) has only nulls")
        }
        if expectation.groupBy.isEmpty {
            #expect(series.count == 1, "\(query.location): \(series.count) series without GROUP BY tags")
            return
        }
        let returned = Set(series.map(\.tags))
        let unexpected = returned.subtracting(expectation.combinations)
        #expect(unexpected.isEmpty, "\(query.location): series not in the written points: \(unexpected)")
        if !expectation.filtersOnFields {
            let missing = expectation.combinations.subtracting(returned)
            #expect(missing.isEmpty, "\(query.location): written series missing from the answer: \(missing.prefix(5))")
        }
    }

    // MARK: Tests

    @Test("every template variable lists exactly the tag values modelwatch wrote", arguments: Kit.variableQueries)
    func variableQueryListsWrittenValues(query: KitQuery) async throws {
        guard let demo = try await Self.fixture(for: query.location) else { return }
        let renderer = Self.dashboardRenderer(demo)
        let rendered = try renderer.render(query.query)
        let series = try demo.query(rendered)
        let ids = InfluxQLIdentifiers(query.query)
        let key = try #require(ids.showTagKeys.first)
        let expected = Set(demo.points.filter { ids.measurements.contains($0.measurement) }.compactMap { $0.tags[key] })
        let values = Set(series.flatMap { $0.rows.compactMap { $0.last?.string } })
        #expect(!expected.isEmpty)
        #expect(values == expected, "\(query.location):\n\(rendered)")
    }

    @Test("every dashboard panel query returns the written series", arguments: Kit.panelQueries)
    func panelQueryReturnsWrittenSeries(query: KitQuery) async throws {
        guard let demo = try await Self.fixture(for: query.location) else { return }
        let renderer = Self.dashboardRenderer(demo)
        let rendered = try renderer.render(query.query)
        let series = try demo.query(rendered)
        let expectation = Self.expectation(for: query.query, points: demo.points,
                                           fromMs: renderer.fromMs, toMs: renderer.toMs)
        Self.check(query, rendered: rendered, series: series, expectation: expectation)
    }

    @Test("every alert query returns the written series for its relative time range", arguments: Kit.alertQueries)
    func alertQueryReturnsWrittenSeries(query: KitQuery) async throws {
        guard let demo = try await Self.fixture(for: query.location) else { return }
        let now = Self.alertNow(demo)
        let from = now - Int64(query.relativeFrom) * 1000, to = now - Int64(query.relativeTo) * 1000
        let rendered = try GrafanaQueryRenderer(fromMs: from, toMs: to, intervalMs: 60_000).render(query.query)
        let series = try demo.query(rendered)
        let expectation = Self.expectation(for: query.query, points: demo.points, fromMs: from, toMs: to)
        Self.check(query, rendered: rendered, series: series, expectation: expectation)
    }

    @Test("the demo marks thin and provisional windows, so the dashboard markers have something to show")
    func demoHasThinAndProvisionalWindows() async throws {
        guard let demo = try await Self.demo() else { return }
        let thin = try demo.query(#"SELECT count("n") FROM "modelwatch_performance" WHERE "sufficient" = false"#)
        let provisional = try demo.query(#"SELECT count("n") FROM "modelwatch_performance" WHERE "provisional" = true"#)
        #expect((thin.first?.nonNullValues.first?.number ?? 0) > 0)
        #expect((provisional.first?.nonNullValues.first?.number ?? 0) > 0)
        // Thin drift windows: the smallest region's slices, never the all-rows slice the drift alerts read.
        let thinDrift = try demo.query(#"SELECT count("psi") FROM "modelwatch_feature" WHERE "drift_sufficient" = false GROUP BY "segment""#)
        #expect(thinDrift.map { $0.tags["segment"] } == ["region"], "\(thinDrift)")
    }
}
