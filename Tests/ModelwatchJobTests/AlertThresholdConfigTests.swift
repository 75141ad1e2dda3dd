import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import Testing

/// `models[].alert_thresholds`: defaults where unset, values as written, each invalid value named by its key.
@Suite("Per-model alert thresholds in the config")
struct AlertThresholdConfigTests {
    static func yaml(_ thresholds: String?) -> String {
        """
        models:
          - name: m
            window: 1d
            maturity: 7d
        \(thresholds.map { "    alert_thresholds: \($0)\n" } ?? "")    scores: {path: scores.csv}
            labels: {path: labels.csv}

        """
    }

    static func parse(_ thresholds: String?) throws -> AlertThresholds {
        let configuration = try ConfigLoader.parse(yaml: yaml(thresholds), file: "/etc/m.yaml", environment: [:])
        return try #require(configuration.models.first).alertThresholds
    }

    @Test("unset thresholds are the rules' former one-size values")
    func defaults() throws {
        let values = Dictionary(uniqueKeysWithValues: try Self.parse(nil).entries.map { ($0.key, $0.value) })
        #expect(values == ["auc_floor": 0.70, "auc_drop": 0.05, "ece": 0.10, "psi": 0.25, "ks": 0.15,
                           "missing_rate_jump": 0.10, "volume_drop": 0.5, "label_coverage": 0.5])
    }

    @Test("set thresholds are read as written and the others keep their defaults")
    func readAsWritten() throws {
        let thresholds = try Self.parse("{auc_floor: 0.62, psi: 0.4, label_coverage: 0.3}")
        #expect(thresholds.aucFloor == 0.62)
        #expect(thresholds.psi == 0.4)
        #expect(thresholds.labelCoverage == 0.3)
        #expect(thresholds.ece == 0.10 && thresholds.ks == 0.15 && thresholds.aucDrop == 0.05)
    }

    @Test("an invalid threshold names its key", arguments: [
        ("{auc_floor: 1.2}", "models[m].alert_thresholds.auc_floor", "within [0, 1]"),
        ("{psi: 0}", "models[m].alert_thresholds.psi", "positive"),
        ("{ks: -0.1}", "models[m].alert_thresholds.ks", "within [0, 1]"),
        ("{auc_flor: 0.7}", "models[m].alert_thresholds.auc_flor", "unknown key"),
        ("{ece: high}", "models[m].alert_thresholds.ece", "expected a number"),
    ])
    func invalid(_ text: String, _ key: String, _ fragment: String) throws {
        do {
            _ = try Self.parse(text)
            Issue.record("parsed: \(text)")
        } catch let error as ConfigError {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
