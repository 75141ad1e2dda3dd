#!/usr/bin/env python3
"""Writes golden_tasks.json: expected regression and multiclass outputs of PerformanceMetrics
(RegressionEvaluator, MulticlassEvaluator), computed with scikit-learn, scipy and numpy.

Run from anywhere with numpy, scipy and scikit-learn installed (e.g. in a virtual environment):
`python3 generate_golden_tasks.py` writes next to this file. The Swift tests only read the JSON.

Large cases are not stored row by row: this script and Tests/PerformanceMetricsTests/GeneratedTaskRows.swift
regenerate them from splitmix64 with integer arithmetic and single correctly rounded float operations,
so the rows are bit-identical. Non-finite expected values are written as the strings "inf", "-inf", "nan".
"""
import json
import math
import pathlib
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import binomtest, norm
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss, cohen_kappa_score,
                             confusion_matrix, log_loss, max_error, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error, median_absolute_error,
                             precision_recall_fscore_support, r2_score, roc_auc_score,
                             root_mean_squared_error, top_k_accuracy_score)

Z95 = float(norm.ppf(0.975))
assert Z95 == 1.959963984540054
MASK = (1 << 64) - 1
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
TOP_K = [1, 2, 3]


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def regression_rows(seed, n):
    """Two draws per row. target = (r % 20001) / 100 − 100 (two decimals, many ties);
    error = ((r2 % 2001) − 1000) / 200, times 25 when r2 >> 32 is a multiple of 40 (heavy tail),
    plus 0.5 when (r2 >> 40) % 3 == 0 (a bias); prediction = target + error."""
    g = splitmix64(seed)
    y, p = [], []
    for _ in range(n):
        r, r2 = next(g), next(g)
        target = (r % 20001) / 100.0 - 100.0
        error = ((r2 % 2001) - 1000) / 200.0
        if (r2 >> 32) % 40 == 0:
            error = error * 25.0
        if (r2 >> 40) % 3 == 0:
            error = error + 0.5
        y.append(target)
        p.append(target + error)
    return np.array(y), np.array(p)


def multiclass_rows(seed, n, k):
    """Three draws per row. The label takes class c with weight K − c (t = r % (K(K+1)/2), walked down);
    the prediction is the label when r2 % 10 < 7, else (label + 1 + (r2 >> 8) % (K − 1)) % K;
    integer weights w_c = 1 + (r3 >> 6c) % 20, plus 30 for the predicted class unless (r2 >> 20) % 5 == 0;
    probabilities w_c / Σw (so ties are frequent)."""
    g = splitmix64(seed)
    labels, preds, probs = [], [], []
    for _ in range(n):
        r, r2, r3 = next(g), next(g), next(g)
        t = r % (k * (k + 1) // 2)
        c = 0
        while t >= k - c:
            t -= k - c
            c += 1
        label = c
        pred = label if r2 % 10 < 7 else (label + 1 + (r2 >> 8) % (k - 1)) % k
        w = [1 + (r3 >> (6 * j)) % 20 for j in range(k)]
        if (r2 >> 20) % 5 != 0:
            w[pred] += 30
        total = sum(w)
        labels.append(label)
        preds.append(pred)
        probs.append([wj / total for wj in w])
    return np.array(labels), np.array(preds), np.array(probs)


def num(x):
    """A float for JSON: None stays None, non-finite becomes a string."""
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


# ---------------------------------------------------------------------------------------------------
# Regression.

def regression_reference(y, p):
    """sklearn/numpy on (y, p) as given."""
    n = len(y)
    if n == 0:
        return None
    e = p - y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = dict(
            meanAbsoluteError=mean_absolute_error(y, p), meanSquaredError=mean_squared_error(y, p),
            rootMeanSquaredError=root_mean_squared_error(y, p),
            r2=r2_score(y, p) if n >= 2 else None,
            meanError=np.mean(e), medianAbsoluteError=median_absolute_error(y, p),
            meanAbsolutePercentageError=mean_absolute_percentage_error(y, p), maxError=max_error(y, p),
            residualQuantiles=[float(np.quantile(e, q)) for q in QUANTILES])
        if n >= 2:
            a = np.abs(e)
            half = lambda v: Z95 * np.std(v, ddof=1) / math.sqrt(n)
            out["meanAbsoluteErrorInterval"] = [np.mean(a) - half(a), np.mean(a) + half(a)]
            out["meanErrorInterval"] = [np.mean(e) - half(e), np.mean(e) + half(e)]
            mse, h = np.mean(e * e), half(e * e)
            out["rootMeanSquaredErrorInterval"] = [math.sqrt(max(0.0, mse - h)), math.sqrt(mse + h)]
        else:
            out["meanAbsoluteErrorInterval"] = out["meanErrorInterval"] = None
            out["rootMeanSquaredErrorInterval"] = None
    return out


def regression_expected(y, p, exponent=0, r2_note=None):
    """Reference values. With `exponent`, sklearn runs on the data times 2**-exponent (exact) and the results
    are scaled back exactly: that is how values whose squares overflow (or underflow) in scikit-learn get
    a reference. Where sklearn also gives a finite value on the raw data, the two are checked to agree."""
    n = len(y)
    if n == 0:
        return dict(n=0)
    s = 2.0 ** exponent
    ref = regression_reference(y / s, p / s)
    lin = lambda v: None if v is None else v * s
    out = dict(
        n=n, meanAbsoluteError=lin(ref["meanAbsoluteError"]), meanSquaredError=ref["meanSquaredError"] * s * s,
        rootMeanSquaredError=lin(ref["rootMeanSquaredError"]), r2=ref["r2"], meanError=lin(ref["meanError"]),
        medianAbsoluteError=lin(ref["medianAbsoluteError"]),
        meanAbsolutePercentageError=ref["meanAbsolutePercentageError"], maxError=lin(ref["maxError"]),
        residualQuantiles=[lin(v) for v in ref["residualQuantiles"]])
    for key in ("meanAbsoluteErrorInterval", "meanErrorInterval", "rootMeanSquaredErrorInterval"):
        out[key] = None if ref[key] is None else [lin(v) for v in ref[key]]
    if exponent:
        raw = regression_reference(y, p)
        # MAPE divides by max(|y|, eps), so it is not scale-invariant: its reference is always the raw data.
        out["meanAbsolutePercentageError"] = raw["meanAbsolutePercentageError"]
        for key in ("meanAbsoluteError", "meanError", "medianAbsoluteError", "maxError"):
            if math.isfinite(raw[key]):
                assert math.isclose(raw[key], out[key], rel_tol=1e-13), (key, raw[key], out[key])
    if n >= 2 and np.all(y == y[0]):
        # scikit-learn's convention for a constant target (force_finite=True).
        convention = 1.0 if np.all(p == y) else 0.0
        if out["r2"] != convention:
            # sklearn took SS_tot from the rounded np.mean(y) != y[0]; the library uses the exact SS_tot = 0.
            assert np.mean(y) != y[0] and r2_note, (out["r2"], convention)
            out["sklearnR2"] = out["r2"]
            out["r2"] = convention
    out["r2Note"] = r2_note
    return {k: (num(v) if not isinstance(v, (list, str, int)) or isinstance(v, bool) else
                [num(x) for x in v] if isinstance(v, list) else v) for k, v in out.items()}


rng = np.random.default_rng(20261206)
moderate_y = rng.normal(50, 20, 500)
moderate_p = moderate_y + rng.standard_t(3, 500) * 4 + 1.5

REGRESSION = [
    ("scikit-learn doc example", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8], 0, None),
    ("constant target, imperfect predictions (R2 0)", [3, 3, 3, 3], [2.5, 3, 3.5, 4], 0, None),
    ("constant target, perfect predictions (R2 1)", [3, 3, 3], [3, 3, 3], 0, None),
    ("constant target 0.1 (sklearn's rounded mean gives R2 -3.5e31; the convention gives 0)",
     [0.1, 0.1, 0.1], [0.2, 0.1, 0.0], 0,
     "np.mean([0.1]*3) != 0.1, so sklearn's SS_tot is 5.8e-34, not 0; the expected value is sklearn's "
     "documented constant-target convention"),
    ("perfect predictions, varying target", [1, 2, 3.5], [1, 2, 3.5], 0, None),
    ("n = 1", [2.0], [3.5], 0, None),
    ("n = 2", [1.0, 4.0], [2.0, 2.0], 0, None),
    ("zero targets (MAPE divides by eps)", [0.0, 0.0, 1.0, -2.0, 0.0, 4.0], [0.0, 0.5, 1.5, -2.0, 1e-3, 3.0], 0, None),
    ("all targets zero, exact predictions", [0.0, 0.0], [0.0, 0.0], 0, None),
    ("huge magnitudes (1e300: sklearn's MSE overflows; reference on data times 2**-1000)",
     [1e300, -1e300, 5e299, 0.0, 1e299, -3e299, 7e299], [9e299, -1.1e300, 5e299, 1e300, 0.0, -2e299, -7e299],
     1000, None),
    ("tiny magnitudes (1e-200: sklearn's squares underflow; reference on data times 2**700)",
     [1e-200, -2e-200, 3e-200, 5e-201], [2e-200, -2.5e-200, 1e-200, 5e-201], -700, None),
    ("moderate random (numpy normal + t(3) errors, n=500)", moderate_y.tolist(), moderate_p.tolist(), 0, None),
    ("empty window", [], [], 0, None),
]

REGRESSION_GENERATED = [("5000 generated rows (ties, heavy tail, bias)", 20261206, 5000)]


# ---------------------------------------------------------------------------------------------------
# Multiclass.

def wilson(k, n):
    if n == 0:
        return None
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]


def none_if_nan(x):
    x = float(x)
    return None if math.isnan(x) else x


def multiclass_expected(y, pred, k, probs):
    n = len(y)
    labels = list(range(k))
    cm = confusion_matrix(y, pred, labels=labels) if n else np.zeros((k, k), dtype=int)
    out = dict(n=n, confusion=cm.tolist())
    if n == 0:
        out.update(classes=[dict(precision=None, recall=None, f1=None, support=0, recallInterval=None)
                            for _ in labels])
        out["probabilities"] = None if probs is None else dict(rocAUC=[None] * k, topKAccuracy=[None] * len(TOP_K))
        return out
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out["balancedAccuracy"] = float(balanced_accuracy_score(y, pred))
        out["balancedAccuracyWarned"] = any("y_pred contains classes not in y_true" in str(w.message)
                                            for w in caught)
        pc, rc, fc, sc = precision_recall_fscore_support(y, pred, labels=labels, zero_division=np.nan)
        pz, rz, fz, _ = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
        for nanv, zerov in ((pc, pz), (rc, rz), (fc, fz)):  # nan exactly where zero_division applied
            assert all((math.isnan(a) and b == 0) or a == b for a, b in zip(nanv, zerov))
        for avg in ("macro", "weighted", "micro"):
            p_, r_, f_, _ = precision_recall_fscore_support(y, pred, labels=labels, average=avg, zero_division=0)
            out[f"{avg}Precision"], out[f"{avg}Recall"], out[f"{avg}F1"] = float(p_), float(r_), float(f_)
        out["cohenKappa"] = none_if_nan(cohen_kappa_score(y, pred))
    out["accuracy"] = float(accuracy_score(y, pred))
    out["classes"] = [dict(precision=none_if_nan(pc[c]), recall=none_if_nan(rc[c]), f1=none_if_nan(fc[c]),
                           support=int(sc[c]), recallInterval=wilson(int(cm[c][c]), int(sc[c])))
                      for c in labels]
    if probs is None:
        out["probabilities"] = None
        return out
    assert np.allclose(probs.sum(axis=1), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob = dict(logLoss=float(log_loss(y, probs, labels=labels)),
                    brier=float(brier_score_loss(y, probs, labels=labels, scale_by_half=False)))
        onehot = np.eye(k)[y]
        assert math.isclose(prob["brier"], float(np.mean(np.sum((probs - onehot) ** 2, axis=1))), rel_tol=1e-14)
        aucs = []
        for c in labels:
            yc = (y == c).astype(int)
            aucs.append(float(roc_auc_score(yc, probs[:, c])) if 0 < yc.sum() < n else None)
        prob["rocAUC"] = aucs
        defined = [(a, int((y == c).sum())) for c, a in enumerate(aucs) if a is not None]
        prob["rocAUCMacro"] = float(np.mean([a for a, _ in defined])) if defined else None
        prob["rocAUCWeighted"] = (float(np.average([a for a, _ in defined], weights=[w for _, w in defined]))
                                  if defined else None)
        if len(defined) == k and k >= 3:  # every class defined: sklearn's own OvR averages
            for avg, key in (("macro", "rocAUCMacro"), ("weighted", "rocAUCWeighted")):
                ref = float(roc_auc_score(y, probs, multi_class="ovr", average=avg, labels=labels))
                assert math.isclose(ref, prob[key], rel_tol=0, abs_tol=1e-15), (avg, ref, prob[key])
            prob["sklearnOvR"] = True
        if len(defined) == k and k == 2:
            assert aucs[1] == float(roc_auc_score(y, probs[:, 1]))
        # K = 2 is scikit-learn's binary case: it takes the class-1 column.
        score = probs[:, 1] if k == 2 else probs
        prob["topKAccuracy"] = [float(top_k_accuracy_score(y, score, k=kk, labels=labels)) for kk in TOP_K]
    out["probabilities"] = prob
    return out


def dirichlet_case(seed, n, k):
    g = np.random.default_rng(seed)
    probs = g.dirichlet(np.ones(k), n)
    y = np.array([g.choice(k, p=row) for row in probs])
    pred = probs.argmax(axis=1)
    return y.tolist(), pred.tolist(), probs.tolist()


THIRD = 1 / 3
MULTICLASS = [
    ("3 classes, one error each way", 3, [0, 1, 2, 2, 1, 0], [0, 2, 1, 2, 1, 0],
     [[.7, .2, .1], [.2, .3, .5], [.1, .6, .3], [.1, .1, .8], [.3, .5, .2], [.6, .3, .1]]),
    ("one class present (AUC and kappa undefined)", 3, [1, 1, 1, 1], [1, 1, 0, 1],
     [[.2, .7, .1], [.1, .8, .1], [.5, .4, .1], [.3, .6, .1]]),
    ("one class present and always predicted (kappa undefined)", 3, [2, 2, 2], [2, 2, 2],
     [[.1, .1, .8], [.2, .2, .6], [0, 0, 1]]),
    ("a class never predicted", 4, [0, 1, 2, 3, 3, 1, 0, 2], [0, 1, 2, 2, 2, 1, 0, 0],
     [[.6, .2, .1, .1], [.1, .7, .1, .1], [.1, .1, .6, .2], [.1, .1, .5, .3],
      [.2, .1, .4, .3], [.1, .8, .05, .05], [.5, .2, .2, .1], [.4, .2, .3, .1]]),
    ("a class absent from the labels but predicted (balanced accuracy ignores it)", 4,
     [0, 1, 2, 0, 1, 2], [0, 3, 2, 3, 1, 2],
     [[.5, .1, .1, .3], [.2, .3, .1, .4], [.1, .1, .7, .1], [.3, .1, .1, .5], [.1, .6, .1, .2], [.1, .1, .6, .2]]),
    ("ties in probabilities (top-k ranks the higher class index first)", 3,
     [0, 1, 2, 0, 1, 2, 0, 2], [0, 0, 0, 1, 1, 2, 2, 2],
     [[THIRD, THIRD, THIRD], [THIRD, THIRD, THIRD], [THIRD, THIRD, THIRD], [.4, .4, .2], [.4, .4, .2],
      [.2, .4, .4], [.25, .5, .25], [.5, .25, .25]]),
    ("probabilities 0 and 1 (log loss clips to eps)", 3, [0, 1, 2, 1], [0, 1, 1, 1],
     [[1, 0, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0]]),
    ("n = 1", 3, [2], [1], [[.2, .5, .3]]),
    ("n = 2, K = 2", 2, [0, 1], [0, 0], [[.8, .2], [.6, .4]]),
    ("K = 2, rows at 0.5 (binary top-1 thresholds class 1 at > 0.5)", 2, [1, 0, 1, 0, 1], [1, 0, 0, 0, 1],
     [[.5, .5], [.5, .5], [.7, .3], [.2, .8], [.1, .9]]),
    ("K = 2, one class present", 2, [0, 0, 0], [0, 1, 0], [[.9, .1], [.4, .6], [.5, .5]]),
    ("all wrong, opposite constant classes (kappa 0)", 2, [0, 0, 0], [1, 1, 1], [[.2, .8], [.3, .7], [.4, .6]]),
    ("no probabilities", 3, [0, 1, 2, 1], [0, 2, 2, 1], None),
    ("K = 5, numpy dirichlet (n=60)", 5, *dirichlet_case(20261206, 60, 5)),
    ("empty window", 3, [], [], []),
]

MULTICLASS_GENERATED = [
    ("5 classes, 4000 generated rows", 20261206, 4000, 5),
    ("3 classes, 3000 generated rows", 7, 3000, 3),
    ("2 classes, 2000 generated rows", 11, 2000, 2),
]


def main():
    regression = []
    for name, y, p, exponent, note in REGRESSION:
        ya, pa = np.array(y, dtype=np.float64), np.array(p, dtype=np.float64)
        regression.append(dict(name=name, targets=[float(v) for v in y], predictions=[float(v) for v in p],
                               expected=regression_expected(ya, pa, exponent, note)))
    for name, seed, n in REGRESSION_GENERATED:
        ya, pa = regression_rows(seed, n)
        regression.append(dict(name=name, generated=dict(seed=seed, n=n),
                               expected=regression_expected(ya, pa)))
    multiclass = []
    for name, k, y, pred, probs in MULTICLASS:
        pa = None if probs is None else np.array(probs, dtype=np.float64).reshape(len(y), k)
        multiclass.append(dict(name=name, classCount=k, labels=y, predictions=pred,
                               probabilities=None if probs is None else [float(v) for row in probs for v in row],
                               topK=TOP_K, expected=multiclass_expected(np.array(y, dtype=np.int64),
                                                                        np.array(pred, dtype=np.int64), k, pa)))
    for name, seed, n, k in MULTICLASS_GENERATED:
        y, pred, probs = multiclass_rows(seed, n, k)
        multiclass.append(dict(name=name, classCount=k, generated=dict(seed=seed, n=n), topK=TOP_K,
                               expected=multiclass_expected(y, pred, k, probs)))
    doc = dict(
        generator="Tests/PerformanceMetricsTests/Fixtures/generate_golden_tasks.py",
        versions=dict(numpy=np.__version__, scipy=scipy.__version__, sklearn=sklearn.__version__),
        regression=regression, multiclass=multiclass,
    )
    out = pathlib.Path(__file__).with_name("golden_tasks.json")
    out.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    print(f"wrote {len(regression)} regression and {len(multiclass)} multiclass cases to {out}")


if __name__ == "__main__":
    main()
