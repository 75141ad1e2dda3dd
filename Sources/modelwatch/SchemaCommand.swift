import ArgumentParser
import MetricSchema

extension Modelwatch {
    /// `modelwatch schema`: print the InfluxDB schema as Markdown (the source of docs/schema.md).
    struct SchemaCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema", abstract: "Print the InfluxDB schema (measurements, tags, fields) as Markdown.")

        func run() throws {
            print(SchemaDocumentation.markdown(), terminator: "")
        }
    }
}
