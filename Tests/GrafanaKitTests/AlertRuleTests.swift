import Foundation
import Testing

@Suite("Alert rules")
struct AlertRuleTests {
    static let noDataStates: Set<String> = ["NoData", "Alerting", "OK", "KeepLast"]
    static let execErrStates: Set<String> = ["Error", "Alerting", "OK", "KeepLast"]
    static let severities: Set<String> = ["critical", "warning", "info"]

    @Test("the rule set covers every alert of the issue", arguments: [
        "mw-auc-below-floor", "mw-auc-drop", "mw-auc-sustained-drop", "mw-ece-high", "mw-labels-stopped", "mw-labels-late",
        "mw-feature-missing-jump", "mw-feature-drift", "mw-feature-drift-sustained", "mw-score-shift",
        "mw-volume-collapse", "mw-job-stopped", "mw-model-heartbeat-missing", "mw-hourly-model-silent", "mw-runs-failing",
        "mw-write-failures", "mw-points-lost", "mw-spool-growing", "mw-model-too-old", "mw-data-stale",
        "mw-regression-mae-high", "mw-regression-mae-rise", "mw-multiclass-quality-drop", "mw-class-recall-collapse", "mw-label-drift",
        "mw-auc-estimate-below-floor", "mw-auc-estimate-divergence",
    ])
    func ruleExists(uid: String) {
        #expect(Kit.rules.contains { $0.uid == uid })
    }

    @Test("rule uids are unique and at most 40 characters")
    func ruleUIDsAreUnique() {
        let uids = Kit.rules.map(\.uid)
        #expect(Set(uids).count == uids.count)
        for uid in uids { #expect(!uid.isEmpty && uid.count <= 40) }
    }

    @Test("groups live in the modelwatch folder with an interval that is a multiple of 10 s",
          arguments: Kit.ruleGroups.map { GroupCase(file: $0.file, group: $0.group) })
    func groupIsWellFormed(item: GroupCase) throws {
        #expect(item.group["folder"]?.string == "modelwatch")
        #expect(((item.group["name"]?.string ?? "").isEmpty) == false)
        #expect(item.group["orgId"]?.int == 1)
        let seconds = try #require(Durations.seconds(item.group["interval"]?.string ?? ""))
        #expect(seconds > 0 && seconds % 10 == 0)
    }

    @Test("every rule has for, severity, summary, description and runbook_url", arguments: Kit.rules)
    func ruleHasRequiredMetadata(rule: KitRule) {
        #expect(Durations.seconds(rule.rule["for"]?.string ?? "") != nil, "for must be a duration")
        #expect(Self.severities.contains(rule.labels["severity"] ?? ""), "severity label")
        #expect(rule.labels["team"] == "ml")
        #expect(((rule.rule["title"]?.string ?? "").isEmpty) == false)
        for key in ["summary", "description", "runbook_url"] {
            #expect(((rule.annotations[key] ?? "").isEmpty) == false, "annotation \(key)")
        }
        for (key, value) in rule.labels where key != "runbook" {
            #expect(!value.contains("$"), "a `$` in a label is expanded as an environment variable")
        }
    }

    @Test("NoData and error states are valid and their choice is explained", arguments: Kit.rules)
    func ruleStatesAreDeliberate(rule: KitRule) {
        let noData = rule.rule["noDataState"]?.string ?? ""
        let execErr = rule.rule["execErrState"]?.string ?? ""
        #expect(Self.noDataStates.contains(noData), "noDataState \(noData)")
        #expect(Self.execErrStates.contains(execErr), "execErrState \(execErr)")
        let description = rule.annotations["description"] ?? ""
        #expect(description.contains("NoData -> \(noData)"), "description must say why NoData -> \(noData)")
        #expect(description.contains("Error -> \(execErr)"), "description must say why Error -> \(execErr)")
    }

    @Test("the heartbeat rule fires on NoData: silence is the incident")
    func heartbeatRuleAlertsOnNoData() throws {
        let rule = try #require(Kit.rules.first { $0.uid == "mw-job-stopped" })
        #expect(rule.rule["noDataState"]?.string == "Alerting")
        #expect(rule.rule["execErrState"]?.string == "Error")
        let query = try #require(rule.data.first { $0["datasourceUid"]?.string != "__expr__" })
        #expect(query["model"]?["query"]?.string?.contains("FROM \"modelwatch_run\"") == true)
        // 35 days: a weekly model's deadline (10.5 days after its last finish) and the run before it fit.
        #expect(rule.data.filter { $0["datasourceUid"]?.string != "__expr__" }.allSatisfy { $0["relativeTimeRange"]?["from"]?.int == 35 * 86400 })
        #expect(rule.data.contains { $0["model"]?["query"]?.string?.contains("FROM \"modelwatch_deadline\"") == true })
        #expect(Kit.rules.filter { $0.rule["execErrState"]?.string == "Error" }.map(\.uid) == ["mw-job-stopped"])
    }

    @Test("the condition and every expression refer to existing refIds", arguments: Kit.rules)
    func ruleReferencesExistingRefIDs(rule: KitRule) {
        let refIDs = rule.refIds
        #expect(Set(refIDs).count == refIDs.count, "duplicate refIds")
        #expect(refIDs.contains(rule.rule["condition"]?.string ?? ""), "condition")
        for item in rule.data {
            let refID = item["refId"]?.string ?? ""
            #expect(item["model"]?["refId"]?.string == refID)
            guard item["datasourceUid"]?.string == "__expr__" else {
                #expect(Kit.datasourceUIDs.contains(item["datasourceUid"]?.string ?? ""), "\(refID) datasource")
                continue
            }
            let model = item["model"] ?? .null
            let expression = model["expression"]?.string ?? ""
            switch model["type"]?.string {
            case "reduce":
                #expect(refIDs.contains(expression) && expression != refID, "\(refID) reduces \(expression)")
                #expect(["last", "mean", "min", "max", "sum", "count", "median"].contains(model["reducer"]?.string ?? ""))
            case "threshold":
                #expect(refIDs.contains(expression) && expression != refID, "\(refID) thresholds \(expression)")
                let evaluator = model["conditions"]?.array.first?["evaluator"]
                #expect(["gt", "lt", "gte", "lte", "within_range", "outside_range"].contains(evaluator?["type"]?.string ?? ""))
                #expect(((evaluator?["params"]?.array ?? []).isEmpty) == false)
            case "math":
                let referenced = InfluxQLIdentifiers.captures(#"\$\{?([A-Za-z][A-Za-z0-9_]*)\}?"#, in: expression)
                #expect(!referenced.isEmpty)
                for name in referenced {
                    #expect(refIDs.contains(name) && name != refID, "\(refID) math refers to $\(name)")
                }
            default:
                Issue.record("\(refID): unexpected expression type \(model["type"]?.string ?? "nil")")
            }
        }
    }

    @Test("rules link a dashboard panel that exists", arguments: Kit.rules)
    func ruleLinksExistingPanel(rule: KitRule) {
        let uid = rule.rule["dashboardUid"]?.string ?? ""
        let panelID = rule.rule["panelId"]?.int ?? -1
        #expect(Kit.dataPanels.contains { $0.dashboardUID == uid && $0.id == panelID }, "\(uid) panel \(panelID)")
    }

    @Test("every runbook_url points at a heading of docs/runbooks.md", arguments: Kit.rules)
    func runbookAnchorExists(rule: KitRule) throws {
        // Grafana does not expand environment variables in annotations (only in labels), so the base comes
        // from the `runbook` label, which provisioning expands, and the annotation's template reads it.
        #expect(rule.labels["runbook"] == "${MODELWATCH_RUNBOOK_URL}")
        let template = rule.annotations["runbook_url"] ?? ""
        try #require(template.hasPrefix("{{ $labels.runbook }}#"), "runbook_url: \(template)")
        let base = try RunbookBase.expanded(rule.labels["runbook"] ?? "", environment: RunbookBase.composeDefaults())
        let url = template.replacingOccurrences(of: "{{ $labels.runbook }}", with: base)
        let parts = url.split(separator: "#", maxSplits: 1).map(String.init)
        try #require(parts.count == 2, "runbook_url needs an #anchor")
        #expect(parts[0] == "http://localhost:3000/public/modelwatch-docs/runbooks.md")
        let anchors = GitHubAnchors.anchors(markdown: try Repo.text("docs/runbooks.md"))
        #expect(anchors.contains(parts[1]), "no heading with anchor #\(parts[1]) in docs/runbooks.md")
    }

    @Test("sustained drop and sustained drift ask for retraining; nothing else does")
    func retrainingRulesCarryActionLabel() {
        let retrain = Set(Kit.rules.filter { $0.labels["action"] == "retrain" }.map(\.uid))
        #expect(retrain == ["mw-auc-sustained-drop", "mw-feature-drift-sustained"])
    }
}

/// A rule group and its file.
struct GroupCase: Sendable, CustomTestStringConvertible {
    let file: String
    let group: Doc
    var testDescription: String { "\(file) group \(group["name"]?.string ?? "?")" }
}

/// Prometheus-style durations as Grafana accepts them (`0s`, `90s`, `5m`, `1h30m`, `7d`).
enum Durations {
    static func seconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800, "y": 31_536_000]
        guard !text.isEmpty else { return nil }
        var total = 0, number = "", matchedAny = false
        for character in text {
            if character.isNumber {
                number.append(character)
            } else if let unit = units[character], let value = Int(number) {
                total += value * unit
                number = ""
                matchedAny = true
            } else {
                return nil
            }
        }
        return number.isEmpty && matchedAny ? total : nil
    }
}
