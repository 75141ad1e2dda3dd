import Foundation
import Testing

@Suite("Datasource and dashboard provider")
struct DatasourceAndProviderTests {
    let datasource = (try? Repo.doc("grafana/provisioning/datasources/influxdb.yaml"))?["datasources"]?.array.first ?? .null

    @Test("the InfluxQL datasource has the fixed uid the dashboards and rules use")
    func datasourceHasFixedUID() {
        #expect(datasource["uid"]?.string == "modelwatch-influxdb")
        #expect(datasource["type"]?.string == "influxdb")
        #expect(datasource["access"]?.string == "proxy")
        #expect(datasource["jsonData"]?["version"]?.string == "InfluxQL")
        #expect(Kit.datasourceUIDs == ["modelwatch-influxdb"])
    }

    @Test("credentials, URL and database come from the environment")
    func credentialsComeFromEnvironment() {
        #expect(datasource["url"]?.string == "${INFLUX_GRAFANA_URL}")
        #expect(datasource["user"]?.string == "${INFLUX_GRAFANA_USER}")
        #expect(datasource["secureJsonData"]?["password"]?.string == "${INFLUX_GRAFANA_PASSWORD}")
        #expect(datasource["jsonData"]?["dbName"]?.string == "${INFLUX_DATABASE}")
    }

    @Test("the dashboard provider loads the directory docker-compose mounts")
    func providerLoadsMountedDirectory() throws {
        let provider = try Repo.doc("grafana/provisioning/dashboards/modelwatch.yaml")["providers"]?.array.first ?? .null
        #expect(provider["type"]?.string == "file")
        #expect(provider["options"]?["path"]?.string == "/etc/grafana/dashboards")
        #expect(provider["folder"]?.string == "modelwatch")
        #expect(provider["allowUiUpdates"]?.bool == false)
        let mounts = try Repo.doc("docker-compose.yml")["services"]?["grafana"]?["volumes"]?.array.compactMap(\.string) ?? []
        #expect(mounts.contains("./grafana/dashboards:/etc/grafana/dashboards:ro"))
        #expect(mounts.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"))
    }
}
