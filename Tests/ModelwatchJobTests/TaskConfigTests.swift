import Foundation
import ModelwatchConfiguration
import ModelwatchJob
import Testing

/// A model of `task` with `extra` model keys and `scoreColumns` under `scores.columns`.
private func taskConfig(_ task: String?, extra: String = "", scoreColumns: String = "{}") -> String {
    """
    models:
      - name: m
        \(task.map { "task: \($0)" } ?? "")
        window: 1h
        maturity: 1d
    \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        scores:
          path: data/scores.csv
          columns: \(scoreColumns)
        labels:
          path: data/labels.csv

    """
}

private func parse(_ yaml: String, environment: [String: String] = [:]) throws -> ModelConfiguration {
    try ConfigLoader.parse(
        yaml: yaml, file: "/etc/modelwatch/model.yaml",
        environment: environment.merging(["MODELWATCH_STATE_DIR": "/tmp/modelwatch-test-state"]) { $1 }).models[0]
}

private func parseError(_ yaml: String, environment: [String: String] = [:]) -> ConfigError? {
    do {
        _ = try parse(yaml, environment: environment)
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        return nil
    }
}

@Suite("models[].task: regression and multiclass configuration")
struct TaskConfigTests {
    @Test("without task a model is binary and reads `score`, as before")
    func defaultIsBinary() throws {
        let model = try parse(taskConfig(nil))
        #expect(model.task == .binary)
        #expect(model.scores.scoreColumn == "score")
        #expect(model.thresholds == [0.5])
        #expect(model.multiclass == nil)
    }

    @Test("a regression model reads `prediction` and has no score thresholds")
    func regression() throws {
        let model = try parse(taskConfig("regression", scoreColumns: "{prediction: eta_minutes}"))
        #expect(model.task == .regression)
        #expect(model.scores.scoreColumn == "eta_minutes")
        #expect(model.thresholds.isEmpty)
        #expect(try parse(taskConfig("regression")).scores.scoreColumn == "prediction")
    }

    @Test("a multiclass model takes its classes, cap, probability columns in class order, top-k and per-class minimum")
    func multiclass() throws {
        let model = try parse(taskConfig(
            "multiclass", extra: "classes: [cat, dog, bird]\nclass_cap: 5\ntop_k_accuracy: 2\nminimum_samples: {n: 30, per_class: 7}",
            scoreColumns: "{prediction: predicted, probabilities: {bird: p_bird, cat: p_cat, dog: p_dog}}"))
        let options = try #require(model.multiclass)
        #expect(model.task == .multiclass)
        #expect(options.classes == ["cat", "dog", "bird"])
        #expect(options.classCap == 5)
        #expect(options.topK == 2)
        #expect(options.minimumPerClass == 7)
        #expect(model.minimumSamples.n == 30)
        #expect(options.probabilityColumns.map(\.column) == ["p_cat", "p_dog", "p_bird"])
        #expect(model.scores.scoreColumn == "predicted")
    }

    @Test("a multiclass model with a reference profile may leave the class list to it")
    func multiclassClassesFromProfile() throws {
        let model = try parse(taskConfig("multiclass", extra: "reference_profile: ref.json"))
        #expect(model.multiclass?.classes == [])
    }

    @Test("task alert thresholds: regression mae and mae_rise, multiclass macro_f1_drop and recall_drop, with their defaults")
    func taskAlertThresholds() throws {
        let regression = try parse(taskConfig("regression", extra: "alert_thresholds: {mae: 7.5}"))
        #expect(regression.alertThresholds.taskEntries(.regression).map(\.key) == ["mae", "mae_rise"])
        #expect(regression.alertThresholds.mae == 7.5 && regression.alertThresholds.maeRise == 0.25)
        #expect(try parse(taskConfig("regression")).alertThresholds.taskEntries(.regression).map(\.key) == ["mae_rise"], "no mae unless configured")
        let multiclass = try parse(taskConfig("multiclass", extra: "classes: [a, b]\nalert_thresholds: {recall_drop: 0.3}"))
        #expect(multiclass.alertThresholds.recallDrop == 0.3 && multiclass.alertThresholds.macroF1Drop == 0.05)
        #expect(AlertThresholds().taskEntries(.binary).isEmpty, "binary heartbeats are unchanged")
    }

    @Test("PostgreSQL push-down evaluates every task; a Spark source of a multiclass model is refused naming the key")
    func pushdownTasks() throws {
        func pushdown(_ yaml: String) -> String {
            yaml.replacingOccurrences(of: """
                  path: data/scores.csv
                  columns: {}
            """, with: """
                  postgres: {database: ml, user: mw, table: predictions, mode: pushdown}
            """)
        }
        for task in ["regression", "multiclass"] {
            let yaml = pushdown(taskConfig(task, extra: task == "multiclass" ? "classes: [a, b]" : ""))
            #expect(yaml.contains("mode: pushdown"))
            #expect(try parse(yaml).scores.postgres?.mode == .pushdown, "\(task)")
        }
        let spark = taskConfig("multiclass", extra: "classes: [a, b]").replacingOccurrences(of: """
              path: data/scores.csv
              columns: {}
        """, with: """
              spark: {url: http://spark:10001, user: mw, table: predictions}
        """)
        #expect(spark.contains("spark: {"))
        let error = try #require(parseError(spark, environment: ["MODELWATCH_SPARK_PASSWORD": "pw"]))
        #expect(error.key == "models[m].scores.spark", "\(error)")
    }

    @Test("invalid task settings name their key", arguments: [
        (taskConfig("ranking"), "models[m].task", "must be binary, regression or multiclass"),
        (taskConfig("regression", extra: "thresholds: [0.3]"), "models[m].thresholds", "binary models only"),
        (taskConfig("multiclass", extra: "classes: [a, b]\ntop_k_percent: [5]"), "models[m].top_k_percent", "binary models only"),
        (taskConfig("regression", extra: "estimation: {calibration: isotonic}"), "models[m].estimation", "binary models only"),
        (taskConfig("regression", extra: "minimum_samples: {positives: 3}"), "models[m].minimum_samples.positives", "binary models only"),
        (taskConfig("regression", extra: "minimum_samples: {per_class: 3}"), "models[m].minimum_samples.per_class", "multiclass models only"),
        (taskConfig("regression", scoreColumns: "{score: s}"), "models[m].scores.columns.score", "unknown key"),
        (taskConfig(nil, scoreColumns: "{prediction: p}"), "models[m].scores.columns.prediction", "unknown key"),
        (taskConfig("regression", extra: "classes: [a, b]"), "models[m].classes", "multiclass models only"),
        (taskConfig("multiclass"), "models[m].classes", "is required for a multiclass model without a reference_profile"),
        (taskConfig("multiclass", extra: "classes: [a]"), "models[m].classes", "at least two classes"),
        (taskConfig("multiclass", extra: "classes: [a, b, a]"), "models[m].classes", "listed twice"),
        (taskConfig("multiclass", extra: "classes: [a, \"(other)\"]"), "models[m].classes[1]", "other than `(other)`"),
        (taskConfig("multiclass", extra: "classes: [a, b, c]\nclass_cap: 2"), "models[m].classes", "more than class_cap"),
        (taskConfig("multiclass", extra: "classes: [a, b]\nclass_cap: 1"), "models[m].class_cap", "within 2…100"),
        (taskConfig("multiclass", extra: "classes: [a, b]", scoreColumns: "{probabilities: {a: pa}}"), "models[m].scores.columns.probabilities", "no column for class `b`"),
        (taskConfig("multiclass", extra: "classes: [a, b]", scoreColumns: "{probabilities: {a: pa, b: pb, c: pc}}"), "models[m].scores.columns.probabilities.c", "not in `classes`"),
        (taskConfig("multiclass", extra: "classes: [a, b]\ntop_k_accuracy: 2"), "models[m].top_k_accuracy", "needs scores.columns.probabilities"),
        (taskConfig(nil, extra: "alert_thresholds: {mae: 3}"), "models[m].alert_thresholds.mae", "regression models only"),
        (taskConfig("multiclass", extra: "classes: [a, b]\nalert_thresholds: {mae_rise: 0.3}"), "models[m].alert_thresholds.mae_rise", "regression models only"),
        (taskConfig("regression", extra: "alert_thresholds: {recall_drop: 0.3}"), "models[m].alert_thresholds.recall_drop", "multiclass models only"),
        (taskConfig("regression", extra: "alert_thresholds: {mae: -1}"), "models[m].alert_thresholds.mae", "positive number"),
    ])
    func invalid(yaml: String, key: String, fragment: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.key == key)
        #expect(error.message.contains(fragment), "\(error.message)")
    }
}
