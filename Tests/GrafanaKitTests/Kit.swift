import Foundation
import Testing

/// One InfluxQL query of the kit: a dashboard panel target, a template variable or an alert rule query.
struct KitQuery: Sendable, CustomTestStringConvertible {
    enum Origin: Sendable { case panel, variable, alert }
    let origin: Origin
    /// Where it lives, e.g. `model-performance.json panel 7 "AUC …" A`.
    let location: String
    let refId: String
    let query: String
    /// Alert queries only: the rule's relative time range, seconds before now.
    var relativeFrom = 0
    var relativeTo = 0

    var testDescription: String { location }
}

/// One panel of a provisioned dashboard.
struct KitPanel: Sendable, CustomTestStringConvertible {
    let file: String
    let dashboardUID: String
    let panel: Doc

    var id: Int { panel["id"]?.int ?? -1 }
    var type: String { panel["type"]?.string ?? "" }
    var title: String { panel["title"]?.string ?? "" }
    var isRow: Bool { type == "row" }
    var testDescription: String { "\(file) panel \(id) \"\(title)\"" }
}

/// One alert rule of the provisioning files.
struct KitRule: Sendable, CustomTestStringConvertible {
    let file: String
    let group: Doc
    let rule: Doc

    var uid: String { rule["uid"]?.string ?? "" }
    var data: [Doc] { rule["data"]?.array ?? [] }
    var refIds: [String] { data.compactMap { $0["refId"]?.string } }
    var labels: [String: String] { (rule["labels"]?.object ?? [:]).compactMapValues(\.string) }
    var annotations: [String: String] { (rule["annotations"]?.object ?? [:]).compactMapValues(\.string) }
    var testDescription: String { "\(file) rule \(uid)" }
}

/// The whole kit, loaded once.
enum Kit {
    static let dashboards: [(file: String, doc: Doc)] = Repo.dashboardFiles.map { ($0, (try? Repo.doc($0)) ?? .null) }

    static let panels: [KitPanel] = dashboards.flatMap { file, doc in
        flattenPanels(doc["panels"]?.array ?? []).map {
            KitPanel(file: file, dashboardUID: doc["uid"]?.string ?? "", panel: $0)
        }
    }

    static let dataPanels: [KitPanel] = panels.filter { !$0.isRow }

    static let rules: [KitRule] = Repo.ruleFiles.flatMap { file -> [KitRule] in
        let doc = (try? Repo.doc(file)) ?? .null
        return (doc["groups"]?.array ?? []).flatMap { group in
            (group["rules"]?.array ?? []).map { KitRule(file: file, group: group, rule: $0) }
        }
    }

    static let ruleGroups: [(file: String, group: Doc)] = Repo.ruleFiles.flatMap { file in
        (((try? Repo.doc(file)) ?? .null)["groups"]?.array ?? []).map { (file, $0) }
    }

    static let panelQueries: [KitQuery] = dataPanels.flatMap { panel in
        (panel.panel["targets"]?.array ?? []).map { target in
            KitQuery(origin: .panel, location: "\(panel.testDescription) \(target["refId"]?.string ?? "?")",
                     refId: target["refId"]?.string ?? "", query: target["query"]?.string ?? "")
        }
    }

    static let variableQueries: [KitQuery] = dashboards.flatMap { file, doc in
        (doc["templating"]?["list"]?.array ?? []).filter { $0["type"]?.string == "query" }.map { variable in
            let query = variable["query"]?.string ?? variable["query"]?["query"]?.string ?? ""
            return KitQuery(origin: .variable, location: "\(file) variable \(variable["name"]?.string ?? "?")",
                            refId: variable["name"]?.string ?? "", query: query)
        }
    }

    static let alertQueries: [KitQuery] = rules.flatMap { rule in
        rule.data.filter { $0["datasourceUid"]?.string != "__expr__" }.map { item in
            KitQuery(origin: .alert, location: "\(rule.testDescription) \(item["refId"]?.string ?? "?")",
                     refId: item["refId"]?.string ?? "", query: item["model"]?["query"]?.string ?? "",
                     relativeFrom: item["relativeTimeRange"]?["from"]?.int ?? 0,
                     relativeTo: item["relativeTimeRange"]?["to"]?.int ?? 0)
        }
    }

    static let allQueries = panelQueries + variableQueries + alertQueries

    /// Datasource uids provisioned in grafana/provisioning/datasources.
    static let datasourceUIDs: Set<String> = Set(
        Repo.files(in: "grafana/provisioning/datasources", extensions: ["yaml", "yml"]).flatMap { file in
            (((try? Repo.doc(file)) ?? .null)["datasources"]?.array ?? []).compactMap { $0["uid"]?.string }
        }
    )

    static func alertingDoc(_ name: String) -> Doc {
        (try? Repo.doc("grafana/provisioning/alerting/\(name)")) ?? .null
    }

    /// Panels, including those nested in collapsed rows.
    static func flattenPanels(_ panels: [Doc]) -> [Doc] {
        panels.flatMap { [$0] + flattenPanels($0["panels"]?.array ?? []) }
    }
}
