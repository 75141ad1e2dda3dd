import MetricSchema
import Testing
import TestSupport

@Suite("Schema conformance of written lines")
struct SchemaConformanceTests {
    static let base = "modelwatch_performance,model=m,segment=all,segment_value=all,version=v1"

    @Test("departures from the schema are named by measurement and key", arguments: [
        ("\(base) n=10i,auc=0.8,sufficient=true,undefined_reason=\"\" 1", [String]()),
        ("\(base) n=10i,aucc=0.8 1", ["modelwatch_performance: field aucc is not declared"]),
        ("\(base) n=10.5 1", ["modelwatch_performance: field n is declared integer but written as float"]),
        ("\(base) sufficient=1i 1", ["modelwatch_performance: field sufficient is declared boolean but written as integer"]),
        ("\(base) undefined_reason=3 1", ["modelwatch_performance: field undefined_reason is declared string but written as float"]),
        ("\(base),region=eu n=1i 1", ["modelwatch_performance: tag region is not declared"]),
        ("modelwatch_perf,model=m n=1i 1", ["modelwatch_perf: not a measurement of the schema"]),
    ])
    func violations(line: String, expected: [String]) throws {
        let parsed = try #require(LineProtocolLine(line))
        #expect(SchemaConformance.violations([parsed]) == expected)
    }

    @Test("field values are typed as line protocol writes them", arguments: [
        ("\"text\"", Field.Kind.string), ("\"\"", .string), ("12i", .integer), ("-3i", .integer), ("true", .boolean),
        ("f", .boolean), ("0.25", .float), ("1e-05", .float), ("3", .float),
    ])
    func kinds(text: String, kind: Field.Kind) {
        #expect(SchemaConformance.kind(ofFieldText: text) == kind)
    }

    @Test("a value that is no line-protocol type is reported as such", arguments: ["1.5i", "\"open", "nan", "abc"])
    func unparseable(text: String) {
        #expect(SchemaConformance.kind(ofFieldText: text) == nil)
    }
}
