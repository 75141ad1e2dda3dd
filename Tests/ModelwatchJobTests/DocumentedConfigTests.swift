import Foundation
import Testing

@Suite("The configs in the documentation")
struct DocumentedConfigTests {
    /// The first ```yaml block after `heading` in docs/configuration.md.
    static func yamlBlock(after heading: String) throws -> String {
        let text = try String(contentsOf: Executable.repositoryRoot.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let section = try #require(text.range(of: "\n\(heading)\n"), "no heading \(heading)")
        let open = try #require(text.range(of: "```yaml\n", range: section.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        return String(text[open.upperBound..<close.lowerBound])
    }

    @Test("the minimal config of configuration.md loads, validates and runs as written")
    func minimalConfigRuns() throws {
        let yaml = try Self.yamlBlock(after: "## A minimal config")
        let directory = TemporaryDirectory()
        let config = directory.write("models.yaml", yaml)
        // The fixture's files have the default columns (the labels' extra label_time column is not read).
        directory.write("scores.csv", try String(contentsOfFile: Fixture.path("join/scores.csv"), encoding: .utf8))
        directory.write("labels.csv", try String(contentsOfFile: Fixture.path("join/labels.csv"), encoding: .utf8))
        let validated = try Executable.run(["validate", "--config", config, "--as-of", "2026-11-21T03:00:00Z"])
        #expect(validated.status == 0, "\(validated)")
        let run = try Executable.run(["run", "--config", config, "--as-of", "2026-11-21T03:00:00Z", "--output", "-"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("modelwatch_performance,model=fraud"), "\(run.stdout)")
        #expect(run.stdout.contains("modelwatch_run,model=fraud"), "\(run.stdout)")
    }
}
