import Foundation
import Testing

@Suite("Grafana macro substitution harness")
struct GrafanaQueryRendererTests {
    typealias Renderer = GrafanaQueryRenderer
    static let filter = #""model" =~ /^${model:regex}$/"#

    struct FormatCase: Sendable, CustomTestStringConvertible {
        let label: String
        let variable: Renderer.Variable
        let expected: String
        var testDescription: String { label }
    }

    @Test("regex format: single, several, All with and without allValue, escaping", arguments: [
        FormatCase(label: "All with allValue .* is inserted unformatted",
                   variable: .all("model"), expected: #""model" =~ /^.*$/"#),
        FormatCase(label: "single value is regex-escaped",
                   variable: .value("model", "fraud.v2"), expected: #""model" =~ /^fraud\.v2$/"#),
        FormatCase(label: "one of several selected stays bare",
                   variable: .value("model", "fraud"), expected: #""model" =~ /^fraud$/"#),
        FormatCase(label: "several values become an alternation",
                   variable: .value("model", "fraud", "credit-risk"), expected: #""model" =~ /^(fraud|credit-risk)$/"#),
        FormatCase(label: "slash is escaped so the regex literal survives",
                   variable: .value("model", "a/b"), expected: #""model" =~ /^a\/b$/"#),
        FormatCase(label: "every special character is escaped",
                   variable: .value("model", #"a\^$*+?.()|[]{}b"#),
                   expected: #""model" =~ /^a\\\^\$\*\+\?\.\(\)\|\[\]\{\}b$/"#),
        FormatCase(label: "All without allValue lists every option",
                   variable: .all("model", allValue: nil, options: ["a", "b.c"]), expected: #""model" =~ /^(a|b\.c)$/"#),
        FormatCase(label: "spaces, commas and non-ASCII need no escaping",
                   variable: .value("model", "São Paulo", "apac,north"), expected: #""model" =~ /^(São Paulo|apac,north)$/"#),
    ])
    func regexFormat(item: FormatCase) throws {
        let renderer = Renderer(variables: [item.variable], fromMs: 0, toMs: 1, intervalMs: 1000)
        #expect(try renderer.stage1(Self.filter) == item.expected)
    }

    @Test("raw, pipe, csv and quote formats", arguments: [
        ("${m:raw}", "a,b"), ("${m:csv}", "a,b"), ("${m:pipe}", "a|b"), ("${m:singlequote}", "'a','b'"),
        ("${m:doublequote}", #""a","b""#), ("[[m:pipe]]", "a|b"),
    ])
    func otherFormats(template: String, expected: String) throws {
        let renderer = Renderer(variables: [.value("m", "a", "b")], fromMs: 0, toMs: 1, intervalMs: 1)
        #expect(try renderer.stage1(template) == expected)
    }

    @Test("macros and unknown names survive stage 1 untouched")
    func stage1LeavesMacros() throws {
        let query = #"SELECT mean("x") FROM "m" WHERE "model" =~ /^${model:regex}$/ AND $timeFilter GROUP BY time($__interval) $unknown ${other:regex}"#
        let renderer = Renderer(variables: [.all("model")], fromMs: 0, toMs: 1, intervalMs: 1)
        #expect(try renderer.stage1(query)
                == #"SELECT mean("x") FROM "m" WHERE "model" =~ /^.*$/ AND $timeFilter GROUP BY time($__interval) $unknown ${other:regex}"#)
    }

    @Test("a variable without an explicit format is refused", arguments: ["$model", "${model}", "[[model]]"])
    func implicitFormatIsRefused(template: String) {
        let renderer = Renderer(variables: [.value("model", "a")], fromMs: 0, toMs: 1, intervalMs: 1)
        #expect(throws: Renderer.RenderError.implicitFormat("model")) { try renderer.stage1(template) }
    }

    @Test("$timeFilter becomes an epoch-millisecond range")
    func timeFilter() {
        let query = Renderer.stage2("SELECT * FROM m WHERE $timeFilter", fromMs: 1_794_096_000_000,
                                    toMs: 1_794_700_800_000, intervalMs: 60000)
        #expect(query == "SELECT * FROM m WHERE time >= 1794096000000ms and time <= 1794700800000ms")
    }

    @Test("interval macros in backend order: $__interval_ms is not eaten by $__interval")
    func intervalMacros() {
        let query = Renderer.stage2("time($__interval) $__interval_ms $interval", fromMs: 0, toMs: 1, intervalMs: 90000)
        #expect(query == "time(1m) 90000 1m")
        #expect(Renderer.stage2("$__interval_ms", fromMs: 0, toMs: 1, intervalMs: 0) == "1")
    }

    @Test("FormatInterval truncates to the largest whole unit", arguments: [
        (Int64(0), "1ms"), (1, "1ms"), (500, "500ms"), (1500, "1s"), (59_999, "59s"), (90_000, "1m"),
        (3_600_000, "1h"), (7_199_999, "1h"), (129_600_000, "1d"), (31_536_000_000, "1y"), (34_560_000_000, "1y"),
    ])
    func formatInterval(milliseconds: Int64, expected: String) {
        #expect(Renderer.formatInterval(milliseconds: milliseconds) == expected)
    }

    @Test("dashboard interval: range / max data points, rounded, floored at the min interval", arguments: [
        (Int64(30 * 86_400_000), Int64(1000), Int64(60000), Int64(1_800_000)),  // 30d on 1000 px → 30m
        (Int64(6 * 3_600_000), Int64(1000), Int64(60000), Int64(60000)),  // 6h → 20s, floored at 1m
        (Int64(14 * 86_400_000), Int64(500), Int64(60000), Int64(1_800_000)),  // 14d on 500 px → 40.3m → 30m
        (Int64(365 * 86_400_000), Int64(100), Int64(0), Int64(86_400_000)),  // 1y on 100 px → 3.65d → 1d
    ])
    func dashboardInterval(rangeMs: Int64, maxDataPoints: Int64, minIntervalMs: Int64, expected: Int64) {
        #expect(Renderer.dashboardIntervalMs(fromMs: 0, toMs: rangeMs, maxDataPoints: maxDataPoints,
                                             minIntervalMs: minIntervalMs) == expected)
    }

    @Test("a kit query renders fully: no macro or variable left")
    func kitQueryRendersFully() throws {
        let renderer = Renderer(
            variables: [.all("model"), .all("version"), .value("segment", "all"), .all("segment_value"), .all("feature")],
            fromMs: 1_793_491_200_000, toMs: 1_794_700_800_000, intervalMs: 3_600_000)
        for query in Kit.panelQueries + Kit.variableQueries {
            let rendered = try renderer.render(query.query)
            #expect(rendered.range(of: #"\$[A-Za-z_{]|\[\["#, options: .regularExpression) == nil,
                    "\(query.location): \(rendered)")
            #expect(rendered.contains("time >= 1793491200000ms and time <= 1794700800000ms"))
        }
    }
}
