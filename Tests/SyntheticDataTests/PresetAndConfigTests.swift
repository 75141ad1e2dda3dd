import SyntheticData
import Testing

@Suite struct PresetAndConfigTests {
    @Test(arguments: ScenarioConfig.presetNames)
    func everyPresetIsValid(name: String) throws {
        let config = try #require(ScenarioConfig.named(name))
        _ = try Generator(config: config)
        #expect(config.days == (name == "demo" ? 14 : 30))
    }

    @Test func unknownPresetIsNil() {
        #expect(ScenarioConfig.named("nope") == nil)
    }

    @Test func singleIncidentPresetsStartOnDay25() throws {
        #expect(formatTimestamp(ScenarioConfig.presetStartMs) == "2026-10-01T00:00:00.000Z")
        #expect(formatTimestamp(ScenarioConfig.presetIncidentStartMs) == "2026-10-25T00:00:00.000Z")
        #expect(ScenarioConfig.named("healthy")!.incidents.isEmpty)
        let expected: [String: (Incident) -> Bool] = [
            "feature-missing": { if case .featureMissing("f_num_01", _) = $0 { true } else { false } },
            "feature-drift": { if case .featureDrift("f_num_00", 1.0, _) = $0 { true } else { false } },
            "model-degradation": { if case .modelDegradation(0.7, _) = $0 { true } else { false } },
            "labels-stop": { if case .labelsStop = $0 { true } else { false } },
            "volume-collapse": { if case .volumeCollapse(0.05, _) = $0 { true } else { false } },
            "score-shift": { if case .scoreShift(1.0, _) = $0 { true } else { false } },
            "covariate-shift": { if case .covariateShift(0.35, _) = $0 { true } else { false } },
        ]
        for (name, matches) in expected {
            let config = try #require(ScenarioConfig.named(name))
            #expect(config.startMs == ScenarioConfig.presetStartMs)
            #expect(config.incidents.count == 1)
            #expect(config.incidents.allSatisfy { $0.startMs == ScenarioConfig.presetIncidentStartMs && matches($0) })
        }
    }

    @Test func demoPresetTimes() throws {
        let demo = try #require(ScenarioConfig.named("demo"))
        #expect(formatTimestamp(demo.startMs) == "2026-11-01T00:00:00.000Z")
        #expect(formatTimestamp(demo.versionSwitchAtMs!) == "2026-11-08T00:00:00.000Z")
        #expect(demo.incidents.map { formatTimestamp($0.startMs) }
            == ["2026-11-11T00:00:00.000Z", "2026-11-13T00:00:00.000Z"])
        #expect(demo.incidents.map(\.feature) == ["f_num_02", "f_num_04"])
    }

    @Test func presetVolumeScalesDownForTests() throws {
        // The presets drive alert-rule tests: they can be shrunk without moving incident times.
        var config = try #require(ScenarioConfig.named("volume-collapse"))
        config.predictionsPerHour = 4
        let output = try generate(config)
        #expect(output.summary.predictions == VolumeModel(config: config).total)
    }

    @Test func invalidConfigsAreRejected() {
        #expect(throws: ConfigurationError.unknownFeature("f_num_99")) {
            try Generator(config: smallConfig(incidents: [.featureMissing(feature: "f_num_99", startMs: 0)]))
        }
        var config = smallConfig()
        config.emptyCellRate = 1.5
        #expect(throws: ConfigurationError.self) { try Generator(config: config) }
        config = smallConfig()
        config.scoreDecimals = 12
        #expect(throws: ConfigurationError.self) { try Generator(config: config) }
        #expect(throws: ConfigurationError.self) {
            try Generator(config: smallConfig(incidents: [.modelDegradation(strength: 2, startMs: 0)]))
        }
    }
}
