import Foundation
import Testing

@Suite("Dashboard structure")
struct DashboardStructureTests {
    @Test("dashboard uids are unique, stable and at most 40 characters")
    func dashboardUIDsAreUnique() {
        let uids = Kit.dashboards.compactMap { $0.doc["uid"]?.string }
        #expect(uids.count == Kit.dashboards.count)
        #expect(Set(uids).count == uids.count)
        #expect(Set(uids) == ["modelwatch-performance", "modelwatch-inputs-outputs", "modelwatch-pipeline", "modelwatch-tasks"])
        for uid in uids { #expect(uid.count <= 40) }
    }

    @Test("dashboards are provisioned read-only with a schema version and no numeric id",
          arguments: Repo.dashboardFiles)
    func dashboardIsReadOnly(file: String) throws {
        let doc = try Repo.doc(file)
        #expect(doc["editable"]?.bool == false)
        #expect((doc["schemaVersion"]?.int ?? 0) >= 39)
        #expect(doc["id"] == nil || doc["id"] == .null)
        #expect(((doc["title"]?.string ?? "").isEmpty) == false)
    }

    @Test("panel ids are unique within each dashboard", arguments: Repo.dashboardFiles)
    func panelIDsAreUnique(file: String) {
        let ids = Kit.panels.filter { $0.file == file }.map(\.id)
        #expect(!ids.isEmpty)
        #expect(Set(ids).count == ids.count, "duplicate panel ids in \(file): \(ids)")
    }

    @Test("every panel fits the 24-column grid", arguments: Kit.panels)
    func panelFitsGrid(panel: KitPanel) {
        let grid = panel.panel["gridPos"]
        let x = grid?["x"]?.int ?? -1, w = grid?["w"]?.int ?? 0, h = grid?["h"]?.int ?? 0
        #expect(x >= 0 && w > 0 && h > 0)
        #expect(x + w <= 24, "x \(x) + w \(w) > 24")
    }

    @Test("every data panel has a unit and a description of what to do", arguments: Kit.dataPanels)
    func panelHasUnitAndDescription(panel: KitPanel) {
        let unit = panel.panel["fieldConfig"]?["defaults"]?["unit"]?.string ?? ""
        #expect(!unit.isEmpty, "no unit")
        let description = panel.panel["description"]?.string ?? ""
        #expect(description.count >= 80, "description too short to say what to do")
        #expect(description.contains("What to do") || description.contains("what to do")
                || description.contains("runbook"), "description does not say what to do")
    }

    @Test("a stat panel that sums counts shows 0, not \"No data\", when nothing was counted",
          arguments: Kit.dataPanels.filter { $0.type == "stat" && $0.panel["options"]?["reduceOptions"]?["calcs"]?.array.first?.string == "sum" })
    func countPanelShowsZero(panel: KitPanel) {
        #expect(panel.panel["fieldConfig"]?["defaults"]?["noValue"]?.string == "0")
    }

    @Test("every data panel queries the provisioned datasource with raw InfluxQL", arguments: Kit.dataPanels)
    func panelUsesProvisionedDatasource(panel: KitPanel) {
        #expect(Kit.datasourceUIDs.contains(panel.panel["datasource"]?["uid"]?.string ?? ""))
        let targets = panel.panel["targets"]?.array ?? []
        #expect(!targets.isEmpty, "no targets")
        for target in targets {
            #expect(Kit.datasourceUIDs.contains(target["datasource"]?["uid"]?.string ?? ""))
            #expect(target["rawQuery"]?.bool == true)
            #expect(["time_series", "table"].contains(target["resultFormat"]?.string ?? ""))
        }
    }

    @Test("refIds are unique within each panel", arguments: Kit.dataPanels)
    func refIDsAreUniqueWithinPanel(panel: KitPanel) {
        let refIDs = (panel.panel["targets"]?.array ?? []).compactMap { $0["refId"]?.string }
        #expect(refIDs.count == (panel.panel["targets"]?.array.count ?? 0))
        #expect(Set(refIDs).count == refIDs.count)
    }

    @Test("dashboards define the template variables their panels need", arguments: [
        ("grafana/dashboards/model-performance.json", ["model", "version", "segment", "segment_value"]),
        ("grafana/dashboards/inputs-outputs.json", ["model", "version", "segment", "segment_value", "feature"]),
        ("grafana/dashboards/pipeline-health.json", ["model"]),
        ("grafana/dashboards/task-models.json", ["model", "version", "segment", "segment_value"]),
    ])
    func dashboardDefinesVariables(file: String, names: [String]) throws {
        let variables = try Repo.doc(file)["templating"]?["list"]?.array ?? []
        #expect(variables.compactMap { $0["name"]?.string } == names)
    }

    @Test("template variables are tag-value queries refreshed on time change with All = .*",
          arguments: Kit.dashboards.flatMap { file, doc in
              (doc["templating"]?["list"]?.array ?? []).map { VariableCase(file: file, variable: $0) }
          })
    func variableIsWellFormed(item: VariableCase) {
        let variable = item.variable
        #expect(variable["type"]?.string == "query")
        #expect(variable["refresh"]?.int == 2)
        #expect(variable["includeAll"]?.bool == true)
        #expect(variable["allValue"]?.string == ".*")
        #expect(Kit.datasourceUIDs.contains(variable["datasource"]?["uid"]?.string ?? ""))
        let query = variable["query"]?.string ?? ""
        let name = variable["name"]?.string ?? ""
        #expect(query.hasPrefix("SHOW TAG VALUES FROM \""))
        #expect(query.contains("WITH KEY = \"\(name)\" WHERE "))
        #expect(query.hasSuffix("$timeFilter"))
    }

    @Test("dashboards link each other and the runbooks", arguments: Repo.dashboardFiles)
    func dashboardLinksRunbooks(file: String) throws {
        let urls = (try Repo.doc(file)["links"]?.array ?? []).compactMap { $0["url"]?.string }
        #expect(urls.contains { $0.hasSuffix("docs/runbooks.md") })
        #expect(urls.filter { $0.hasPrefix("/d/modelwatch-") }.count == 2)
    }
}

/// A template variable and the dashboard it belongs to.
struct VariableCase: Sendable, CustomTestStringConvertible {
    let file: String
    let variable: Doc
    var testDescription: String { "\(file) $\(variable["name"]?.string ?? "?")" }
}
