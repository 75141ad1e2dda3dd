import Foundation
import Testing
import Yams

@Suite("Every provisioning, dashboard and compose file parses")
struct ProvisioningFilesParseTests {
    @Test("the kit has the expected files")
    func kitHasTheExpectedFiles() {
        #expect(Repo.dashboardFiles == [
            "grafana/dashboards/inputs-outputs.json",
            "grafana/dashboards/model-performance.json",
            "grafana/dashboards/pipeline-health.json",
            "grafana/dashboards/task-models.json",
        ])
        #expect(Repo.ruleFiles.count >= 3)
        for required in ["contact-points.yaml", "notification-policies.yaml", "templates.yaml", "mute-timings.yaml"] {
            #expect(Repo.alertingFiles.contains("grafana/provisioning/alerting/\(required)"), "missing \(required)")
        }
    }

    @Test("JSON files parse with JSONSerialization", arguments: Repo.jsonFiles)
    func jsonFileParses(file: String) throws {
        let data = try Data(contentsOf: Repo.url(file))
        let object = try JSONSerialization.jsonObject(with: data)
        #expect(object is [String: Any], "\(file) is not a JSON object")
    }

    @Test("YAML files parse with Yams", arguments: Repo.yamlFiles)
    func yamlFileParses(file: String) throws {
        let object = try Yams.load(yaml: try Repo.text(file))
        #expect(object is [AnyHashable: Any], "\(file) is not a YAML mapping")
    }

    @Test("provisioning files declare apiVersion 1",
          arguments: Repo.alertingFiles + Repo.files(in: "grafana/provisioning/datasources", extensions: ["yaml"])
              + Repo.files(in: "grafana/provisioning/dashboards", extensions: ["yaml"]))
    func provisioningFileDeclaresAPIVersion1(file: String) throws {
        #expect(try Repo.doc(file)["apiVersion"]?.int == 1)
    }
}
