import InfluxDelivery
import ModelwatchConfiguration
import ModelwatchSources

extension JobRunner {
    /// The outcome of `modelwatch flush`.
    public struct FlushResult: Sendable {
        public var text: String
        public var status: ExitStatus
        public var report: DeliveryReport?
    }

    /// Replays the spool to the configured InfluxDB.
    public func flush(_ configuration: JobConfiguration) -> FlushResult {
        guard let influx = configuration.influx else {
            return FlushResult(text: "influx.url: no InfluxDB is configured; set INFLUX_URL or influx.url", status: .configError)
        }
        do {
            let sink = try InfluxSink(configuration: configuration, influx: influx, environment: environment)
            let report = sink.replay()
            let status = Self.status(of: report.outcome) ?? .ok
            var text = "flush → \(sink.destination): \(report.pointsReplayed) points replayed, \(report.spoolFiles) batches left (\(report.spoolDepthBytes) bytes)"
            if report.spoolFilesQuarantined > 0 {
                text += "; \(report.spoolFilesQuarantined) damaged files quarantined: \(report.quarantinedFiles.joined(separator: ", "))"
            }
            if let message = Self.message(of: report.outcome) { text += "\nerror: \(message)" }
            return FlushResult(text: text, status: status, report: report)
        } catch {
            return FlushResult(text: error.message, status: error.status)
        }
    }
}
