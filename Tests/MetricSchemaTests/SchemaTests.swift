import Foundation
import MetricSchema
import Testing

@Suite("Schema source of truth")
struct SchemaTests {
    @Test("measurement names are unique and prefixed")
    func uniqueNames() {
        let names = Schema.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.hasPrefix("modelwatch_") })
    }

    @Test("identifiers are safe: letters, digits and underscores, never `time`, never a leading underscore",
          arguments: Schema.all)
    func safeIdentifiers(_ measurement: MetricSchema.Measurement) {
        let identifiers = [measurement.name] + measurement.tags.map(\.key) + measurement.fields.map(\.key)
        for identifier in identifiers {
            #expect(identifier != "time")
            #expect(identifier.first?.isLetter == true, "\(identifier)")
            #expect(identifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(identifier)")
        }
    }

    @Test("no key is both a tag and a field of the same measurement", arguments: Schema.all)
    func tagsAndFieldsDisjoint(_ measurement: MetricSchema.Measurement) {
        let tagKeys = Set(measurement.tags.map(\.key))
        #expect(measurement.fields.allSatisfy { !tagKeys.contains($0.key) })
        #expect(Set(measurement.fields.map(\.key)).count == measurement.fields.count)
    }

    @Test("every field and tag is documented", arguments: Schema.all)
    func documented(_ measurement: MetricSchema.Measurement) {
        #expect(!measurement.summary.isEmpty)
        #expect(measurement.fields.allSatisfy { !$0.doc.isEmpty })
        #expect(measurement.tags.allSatisfy { !$0.doc.isEmpty })
    }
}

@Suite("Schema documentation")
struct SchemaDocumentationTests {
    @Test("docs/schema.md is the rendering of the Swift schema (UPDATE_GOLDEN=1 rewrites it)")
    func documentationMatchesCode() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/schema.md")
        let rendered = SchemaDocumentation.markdown()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: docs, atomically: true, encoding: .utf8)
        }
        let checkedIn = try String(contentsOf: docs, encoding: .utf8)
        #expect(checkedIn == rendered, "docs/schema.md is stale: run UPDATE_GOLDEN=1 make test")
    }
}

extension MetricSchema.Measurement: CustomTestStringConvertible {
    public var testDescription: String { name }
}
