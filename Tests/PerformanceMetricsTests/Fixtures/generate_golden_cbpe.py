#!/usr/bin/env python3
"""Writes golden_cbpe.json: confidence-based performance estimation (CBPE) computed by NannyML, the reference
modelwatch's estimates follow (nannyml.performance_estimation.confidence_based, binary classification).

Run with NannyML pinned (the Swift test asserts the version recorded here):

    python3 -m venv .venv-nannyml && . .venv-nannyml/bin/activate   # git-ignored
    pip install nannyml==0.13.1 statsmodels
    python3 Tests/PerformanceMetricsTests/Fixtures/generate_golden_cbpe.py

Every case stores its rows (scores as shortest round-trip decimals, labels as 0/1), so the Swift tests read the
same doubles. For each case the script fits NannyML's CBPE on the reference rows (once per threshold, because
NannyML takes one `y_pred` column; here `y_pred = score >= threshold`), estimates each analysis window as a single
chunk, and records the estimate, NannyML's sampling error and its band (estimate ± 3 sampling errors, clipped to
[0, 1]). The isotonic map is scikit-learn's IsotonicRegression(out_of_bounds="clip"), the calibrator NannyML uses.
"""
import json
import os
import pathlib
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.isotonic import IsotonicRegression

# NannyML sends usage statistics unless told not to; a golden script must not phone home.
os.environ["NML_DISABLE_USAGE_LOGGING"] = "1"
import nannyml  # noqa: E402
from nannyml.calibration import IsotonicCalibrator, NoopCalibrator  # noqa: E402

warnings.filterwarnings("ignore")

METRICS = ["roc_auc", "precision", "recall", "f1", "specificity", "accuracy"]


def rows(rng, n, shift=0.0, concept=0.0, kind="continuous"):
    """Scores from a deliberately miscalibrated model: the true probability is sigmoid(x), the score
    sigmoid(1.7·x + 0.6) (over-confident and too high). `shift` moves the inputs (covariate shift),
    `concept` weakens the link between input and label (concept drift)."""
    x = rng.normal(shift, 1.2, n)
    truth = 1 / (1 + np.exp(-((1 - concept) * x - 1.0)))
    labels = (rng.random(n) < truth).astype(int)
    score = 1 / (1 + np.exp(-(1.7 * x + 0.6)))
    if kind == "rounded":
        score = np.round(score, 2)
    return [float(s) for s in score], [int(y) for y in labels]


def calibrated_rows(rng, n, shift=0.0):
    """Scores that are calibrated probabilities already (the 'scores as they are' case)."""
    x = rng.normal(shift, 1.0, n)
    p = 1 / (1 + np.exp(-(1.5 * x - 0.8)))
    labels = (rng.random(n) < p).astype(int)
    return [float(s) for s in p], [int(y) for y in labels]


def lowest_is_minority(scores, labels):
    """NannyML drops the minority row ranked lowest from its AUC sampling-error components (docs/metrics.md);
    cases are drawn so that this row is not of the minority class, where both definitions agree."""
    y = np.asarray(labels)
    s = np.asarray(scores)
    if y.mean() > 0.5:
        return (1 - y)[np.argsort(1 - s, kind="stable")][0] == 1
    return y[np.argsort(s, kind="stable")][0] == 1


def cbpe(reference, windows, threshold, calibration):
    ref = pd.DataFrame({"score": reference[0], "y": reference[1]})
    ref["pred"] = (ref["score"] >= threshold).astype(int)
    estimator = nannyml.CBPE(
        y_pred_proba="score", y_pred="pred", y_true="y", problem_type="classification_binary",
        metrics=METRICS, chunk_number=1,
        calibrator=IsotonicCalibrator() if calibration == "isotonic" else NoopCalibrator(),
    )
    estimator.fit(ref)
    expected_calibration = calibration == "isotonic"
    assert estimator.needs_calibration == expected_calibration, (calibration, estimator.needs_calibration)
    out = []
    for scores in windows:
        df = pd.DataFrame({"score": scores})
        df["pred"] = (df["score"] >= threshold).astype(int)
        # The result also holds the reference period (fitted on it); only the analysis chunk is this window.
        result = estimator.estimate(df).filter(period="analysis").to_df()
        assert len(result) == 1, len(result)
        entry = {}
        for metric in METRICS:
            block = result[metric]
            entry[metric] = {
                "value": none_if_nan(block["value"].iloc[0]),
                "samplingError": none_if_nan(block["sampling_error"].iloc[0]),
                "lower": none_if_nan(block["lower_confidence_boundary"].iloc[0]),
                "upper": none_if_nan(block["upper_confidence_boundary"].iloc[0]),
            }
        out.append(entry)
    return out


def none_if_nan(value):
    value = float(value)
    return None if np.isnan(value) else value


def case(name, reference, windows, thresholds, calibration):
    assert not lowest_is_minority(*reference), name
    isotonic = IsotonicRegression(out_of_bounds="clip", increasing=True).fit(reference[0], reference[1])
    probes = sorted(set([min(reference[0]) - 0.01, max(reference[0]) + 0.01, 0.0, 1.0]
                        + [float(v) for v in np.linspace(0, 1, 41)] + reference[0][:20]))
    per_threshold = {t: cbpe(reference, [w[0] for w in windows], t, calibration) for t in thresholds}
    expected = []
    for index in range(len(windows)):
        auc = per_threshold[thresholds[0]][index]["roc_auc"]
        for t in thresholds[1:]:
            assert per_threshold[t][index]["roc_auc"] == auc
        expected.append({
            "rocAuc": auc,
            "thresholds": [
                {"threshold": t, **{m: per_threshold[t][index][m] for m in METRICS if m != "roc_auc"}}
                for t in thresholds
            ],
        })
    return {
        "name": name,
        "calibration": calibration,
        "reference": {"scores": reference[0], "labels": reference[1]},
        "windows": [w[0] for w in windows],
        "thresholds": thresholds,
        "isotonic": {
            "x": [float(v) for v in isotonic.X_thresholds_],
            "y": [float(v) for v in isotonic.y_thresholds_],
            "probes": probes,
            "predictions": [float(v) for v in isotonic.predict(probes)],
        },
        "expected": expected,
    }


def main():
    rng = np.random.default_rng(20261207)
    cases = []
    reference = rows(rng, 3000)
    windows = [rows(rng, 800), rows(rng, 600, shift=0.8), rows(rng, 500, shift=-0.6), rows(rng, 700, concept=0.7)]
    cases.append(case("miscalibrated", reference, windows, [0.3, 0.5, 0.8], "isotonic"))
    reference = rows(rng, 2500, kind="rounded")
    windows = [rows(rng, 700, kind="rounded"), rows(rng, 400, shift=1.0, kind="rounded")]
    cases.append(case("rounded scores with ties", reference, windows, [0.5, 0.62], "isotonic"))
    reference = calibrated_rows(rng, 2000)
    windows = [calibrated_rows(rng, 900), calibrated_rows(rng, 500, shift=0.7)]
    cases.append(case("calibrated scores used as they are", reference, windows, [0.25, 0.5], "none"))
    path = pathlib.Path(__file__).with_name("golden_cbpe.json")
    document = {
        "versions": {"nannyml": nannyml.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
                     "pandas": pd.__version__},
        "samplingErrorRange": 3,
        "cases": cases,
    }
    path.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
