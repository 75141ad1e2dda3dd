import Foundation
import Testing

@Suite("Contact points, notification policy, templates and mute timings")
struct NotificationTests {
    static let contactPoints = Kit.alertingDoc("contact-points.yaml")["contactPoints"]?.array ?? []
    static let policies = Kit.alertingDoc("notification-policies.yaml")["policies"]?.array ?? []
    static let templates = Kit.alertingDoc("templates.yaml")["templates"]?.array ?? []
    static let muteTimes = Kit.alertingDoc("mute-timings.yaml")["muteTimes"]?.array ?? []

    static var receiverNames: Set<String> { Set(contactPoints.compactMap { $0["name"]?.string }) }

    /// Every route of the tree, root first.
    static func routes(_ route: Doc) -> [Doc] {
        [route] + (route["routes"]?.array ?? []).flatMap(routes)
    }

    static var allRoutes: [Doc] { policies.flatMap(routes) }

    @Test("contact points have unique receiver uids and known integration types")
    func contactPointsAreWellFormed() {
        #expect(Self.receiverNames == ["modelwatch-oncall", "modelwatch-team", "modelwatch-owners", "modelwatch-retraining"])
        let receivers = Self.contactPoints.flatMap { $0["receivers"]?.array ?? [] }
        let uids = receivers.compactMap { $0["uid"]?.string }
        #expect(uids.count == receivers.count && Set(uids).count == uids.count)
        for uid in uids { #expect(uid.count <= 40) }
        let types = Set(receivers.compactMap { $0["type"]?.string })
        #expect(types == ["webhook", "slack", "email"])
    }

    @Test("contact point targets come from environment variables docker-compose defaults")
    func contactPointTargetsComeFromEnvironment() throws {
        let environment = try ComposeFile.grafanaEnvironment()
        for receiver in Self.contactPoints.flatMap({ $0["receivers"]?.array ?? [] }) {
            let settings = receiver["settings"] ?? .null
            let target = settings["url"]?.string ?? settings["addresses"]?.string ?? ""
            let variable = try #require(InfluxQLIdentifiers.captures(#"^\$\{([A-Z0-9_]+)\}$"#, in: target).first,
                                        "\(receiver["uid"]?.string ?? "?") target \(target) is not a ${VAR}")
            let value = try #require(environment[variable], "docker-compose does not pass \(variable) to Grafana")
            #expect(value.contains(":-") && !value.hasSuffix(":-}"), "\(variable) needs a non-empty default: \(value)")
        }
    }

    @Test("no Go template variable in interpolated settings: `$labels` would be eaten by env expansion")
    func interpolatedSettingsHaveNoTemplateVariables() {
        let strings = Self.contactPoints.flatMap(\.allStrings) + Self.policies.flatMap(\.allStrings)
        for text in strings {
            #expect(!text.contains("$labels") && !text.contains("$values") && !text.contains("{{ $"), "\(text)")
        }
    }

    @Test("templates used by contact points are defined")
    func usedTemplatesAreDefined() {
        let source = Self.templates.compactMap { $0["template"]?.string }.joined(separator: "\n")
        let defined = Set(InfluxQLIdentifiers.captures(#"\{\{-?\s*define\s+"([^"]+)""#, in: source))
        let used = Set(Self.contactPoints.flatMap(\.allStrings).flatMap {
            InfluxQLIdentifiers.captures(#"\{\{-?\s*template\s+"([^"]+)""#, in: $0)
        })
        #expect(!used.isEmpty)
        #expect(used.isSubset(of: defined), "undefined templates: \(used.subtracting(defined).sorted())")
        #expect(source.contains(".Annotations.runbook_url") && source.contains(".DashboardURL"))
    }

    @Test("every policy route names an existing contact point and mute timing")
    func policyReferencesExist() {
        #expect(Self.policies.count == 1)
        let muteNames = Set(Self.muteTimes.compactMap { $0["name"]?.string })
        for route in Self.allRoutes {
            #expect(Self.receiverNames.contains(route["receiver"]?.string ?? ""), "receiver \(route["receiver"]?.string ?? "nil")")
            for mute in route["mute_time_intervals"]?.array.compactMap(\.string) ?? [] {
                #expect(muteNames.contains(mute), "mute timing \(mute)")
            }
            for matcher in route["object_matchers"]?.array ?? [] {
                #expect(matcher.array.count == 3)
                #expect(["=", "!=", "=~", "!~"].contains(matcher.array[safe: 1]?.string ?? ""))
            }
        }
        #expect(Self.policies.first?["mute_time_intervals"] == nil, "the root route cannot have mute timings")
    }

    @Test("the policy groups by model and routes each severity of the rules", arguments: ["critical", "warning", "info"])
    func policyRoutesSeverity(severity: String) {
        #expect(Self.policies.first?["group_by"]?.array.compactMap(\.string).contains("model") == true)
        let matching = Self.allRoutes.filter { route in
            (route["object_matchers"]?.array ?? []).contains { $0.array.compactMap(\.string) == ["severity", "=", severity] }
        }
        #expect(matching.count == 1)
    }

    @Test("action=retrain reaches the retraining webhook and continues to people")
    func retrainRoutesToWebhook() throws {
        let route = try #require(Self.allRoutes.first { route in
            (route["object_matchers"]?.array ?? []).contains { $0.array.compactMap(\.string) == ["action", "=", "retrain"] }
        })
        #expect(route["receiver"]?.string == "modelwatch-retraining")
        #expect(route["continue"]?.bool == true)
        let retraining = Self.contactPoints.first { $0["name"]?.string == "modelwatch-retraining" }
        #expect(retraining?["receivers"]?.array.allSatisfy { $0["type"]?.string == "webhook" } == true)
        let index = Self.policies.first?["routes"]?.array.firstIndex { $0["receiver"]?.string == "modelwatch-retraining" }
        #expect(index == 0, "the retrain route must come before the severity routes")
    }

    @Test("every label value a route matches on is produced by some rule")
    func routedLabelsExistOnRules() {
        for route in Self.allRoutes {
            for matcher in route["object_matchers"]?.array ?? [] {
                let parts = matcher.array.compactMap(\.string)
                guard parts.count == 3, parts[1] == "=", parts[0] != "model" else { continue }
                #expect(Kit.rules.contains { $0.labels[parts[0]] == parts[2] }, "no rule has \(parts[0])=\(parts[2])")
            }
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
