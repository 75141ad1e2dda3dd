import ArgumentParser
import ModelwatchJob

/// `--output` and `--model`, shared by `run` and `backfill`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Write line protocol to standard output (`-`) or a file (`file:PATH`) instead of InfluxDB.")
    var output: String?

    @Option(name: .long, help: "Only evaluate the model with this name.")
    var model: String?

    func validate() throws {
        if let output, output != "-", !output.hasPrefix("file:") || output.count <= 5 {
            throw ValidationError("--output must be `-` (standard output) or `file:PATH`, got `\(output)`")
        }
    }

    /// Where the points go.
    var target: OutputTarget {
        switch output {
        case nil: .influx
        case "-": .standardOutput
        case let value?: .file(String(value.dropFirst(5)))
        }
    }
}
