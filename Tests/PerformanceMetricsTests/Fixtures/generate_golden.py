#!/usr/bin/env python3
"""Writes golden.json: expected PerformanceMetrics outputs computed with scikit-learn, scipy, numpy and statsmodels
(precision and recall intervals: scipy.stats.binomtest(k, n).proportion_ci(method="wilson")).

Run from anywhere: `python3 generate_golden.py` (writes next to this file). Needs numpy, scipy,
scikit-learn and statsmodels. The Swift tests only read golden.json; they never run Python.

Large cases are not stored row by row: both this script and the Swift tests regenerate them from
splitmix64 with integer-only arithmetic (see `splitmix_rows`), so the rows are bit-identical.
"""
import json
import math
import pathlib
import warnings

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy.stats import binomtest, rankdata
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, brier_score_loss, confusion_matrix, f1_score,
                             log_loss, precision_score, recall_score, roc_auc_score)

Z95 = 1.959963984540054
EPS = np.finfo(np.float64).eps
MASK = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------------
# Deterministic rows shared with the Swift tests (Sources/TestSupport/SplitMix64.swift, Tests/PerformanceMetricsTests/GeneratedRows.swift).

def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def splitmix_rows(seed, n, kind):
    """Two draws r, r2 per row; the label is positive when (r2 % 10000) < 500 + slope * q.

    kind "rounded":    score = q / 100 with q = r % 101 (101 distinct values, heavy ties), slope 60.
    kind "continuous": score = (r >> 11) * 2**-53 (distinct almost surely), q = r >> 57 (0...127), slope 45.
    So the positive rate rises with the score from 5% to about 65%."""
    g = splitmix64(seed)
    scores, labels = [], []
    for _ in range(n):
        r = next(g)
        r2 = next(g)
        if kind == "rounded":
            q, slope = r % 101, 60
            scores.append(q / 100.0)
        elif kind == "continuous":
            q, slope = r >> 57, 45
            scores.append((r >> 11) * 2.0 ** -53)
        else:
            raise ValueError(kind)
        labels.append(1 if (r2 % 10000) < 500 + slope * q else 0)
    return np.array(scores, dtype=np.float64), np.array(labels, dtype=np.int64)


# ---------------------------------------------------------------------------------------------------
# Reference computations.

def none_if_nan(x):
    x = float(x)
    return None if math.isnan(x) else x


def delong(y, s):
    """DeLong SE with midranks, sample variances (ddof=1); as in shared/reference/verify_metrics.py."""
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    tx, ty, tz = rankdata(pos), rankdata(neg), rankdata(np.concatenate([pos, neg]))
    v01 = (tz[:m] - tx) / n
    v10 = 1 - (tz[m:] - ty) / m
    return float(np.sqrt(np.var(v01, ddof=1) / m + np.var(v10, ddof=1) / n))


def logistic_fits(y, p):
    """(citl, intercept, slope) with statsmodels GLM Binomial (IRLS, tol 1e-14); None where undefined."""
    if y.min() == y.max():
        return None, None, None
    pc = np.clip(p, EPS, 1 - EPS)
    lp = np.log(pc / (1 - pc))
    ones = np.ones((len(y), 1))
    citl = sm.GLM(y, ones, family=sm.families.Binomial(), offset=lp).fit(tol=1e-14, maxiter=200)
    citl_value = float(citl.params[0]) if citl.converged else None
    # Joint fit: undefined when lp is constant (no slope) or the classes are separated by the score.
    pos, neg = lp[y == 1], lp[y == 0]
    if lp.min() == lp.max() or pos.min() > neg.max() or neg.min() > pos.max():
        return citl_value, None, None
    joint = sm.GLM(y, np.column_stack([np.ones_like(lp), lp]), family=sm.families.Binomial()).fit(
        tol=1e-14, maxiter=200)
    if not joint.converged or abs(joint.params[1]) > 1e6:
        return citl_value, None, None
    return citl_value, float(joint.params[0]), float(joint.params[1])


def wilson(k, n):
    """95% Wilson score interval of k/n (no continuity correction) from scipy, or None when n = 0."""
    if n == 0:
        return None
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]


def threshold_metrics(y, s, t):
    if len(y) == 0:  # sklearn rejects empty input; every count is 0 and every rate undefined.
        return dict(threshold=t, tp=0, fp=0, tn=0, fn=0, precision=None, recall=None, f1=None, fpr=None,
                    specificity=None, predictedPositiveRate=None, precisionInterval=None, recallInterval=None)
    pred = (s >= t).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, pred, labels=[0, 1]).ravel())
    kw = dict(zero_division=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        precision = none_if_nan(precision_score(y, pred, labels=[0, 1], **kw))
        recall = none_if_nan(recall_score(y, pred, labels=[0, 1], **kw))
        f1 = none_if_nan(f1_score(y, pred, labels=[0, 1], **kw))
        specificity = none_if_nan(recall_score(y, pred, pos_label=0, labels=[0, 1], **kw))
    # Cross-check sklearn against the count formulas the Swift code uses.
    def ratio(a, b):
        return None if b == 0 else a / b
    assert precision == ratio(tp, tp + fp) and recall == ratio(tp, tp + fn), (t, precision, recall)
    assert specificity == ratio(tn, tn + fp)
    assert (f1 is None) == (2 * tp + fp + fn == 0)
    if f1 is not None:
        assert abs(f1 - 2 * tp / (2 * tp + fp + fn)) < 1e-15
    return dict(threshold=t, tp=tp, fp=fp, tn=tn, fn=fn, precision=precision, recall=recall, f1=f1,
                fpr=ratio(fp, fp + tn), specificity=specificity, predictedPositiveRate=ratio(tp + fp, len(y)),
                precisionInterval=wilson(tp, tp + fp), recallInterval=wilson(tp, tp + fn))


def top_k(y, s, f):
    n = len(s)
    if n == 0:
        return dict(fraction=f, k=0, selected=0, scoreCutoff=None, precision=None, recall=None,
                    precisionInterval=None, recallInterval=None)
    k = min(max(math.ceil(f * n - 1e-9), 1), n)
    cutoff = float(np.sort(s)[::-1][k - 1])
    sel = s >= cutoff
    hits = int(y[sel].sum())
    npos = int(y.sum())
    return dict(fraction=f, k=k, selected=int(sel.sum()), scoreCutoff=cutoff, precision=hits / int(sel.sum()),
                recall=None if npos == 0 else hits / npos,
                precisionInterval=wilson(hits, int(sel.sum())), recallInterval=wilson(hits, npos))


def reliability(y, p, bins):
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p, side="left")
    count = np.bincount(ids, minlength=bins)
    psum = np.bincount(ids, weights=p, minlength=bins)
    ysum = np.bincount(ids, weights=y, minlength=bins)
    out = []
    for b in range(bins):
        c = int(count[b])
        out.append(dict(index=b, lower=float(edges[b]), upper=float(edges[b + 1]), count=c,
                        meanPredicted=float(psum[b] / c) if c else None,
                        observedRate=float(ysum[b] / c) if c else None))
    if len(y) and y.min() != y.max():
        # Same bins as sklearn's calibration_curve (it returns the non-empty bins only).
        prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy="uniform")
        nonempty = [o for o in out if o["count"]]
        assert np.array_equal(prob_true, [o["observedRate"] for o in nonempty])
        assert np.allclose(prob_pred, [o["meanPredicted"] for o in nonempty], rtol=0, atol=1e-15)
    if len(y) == 0:
        return out, None, None
    gaps = [(o["count"], abs(o["observedRate"] - o["meanPredicted"])) for o in out if o["count"]]
    ece = sum(c * g for c, g in gaps) / len(y)
    mce = max(g for _, g in gaps)
    return out, ece, mce


def expected(y, s, options):
    n, npos = len(y), int(y.sum())
    nneg = n - npos
    auc = se = lower = upper = ap = None
    reason = "empty window" if n == 0 else "no positives" if npos == 0 else "no negatives" if nneg == 0 else None
    if reason is None:
        auc = float(roc_auc_score(y, s))
        if npos >= 2 and nneg >= 2:
            se = delong(y, s)
            lower, upper = max(0.0, auc - Z95 * se), min(1.0, auc + Z95 * se)
    if npos > 0:  # sklearn returns 0.0 with a warning when there are no positives; we expect null.
        ap = float(average_precision_score(y, s))
    bins, ece, mce = reliability(y, s, options["calibrationBins"])
    citl, intercept, slope = logistic_fits(y, s) if n else (None, None, None)
    return dict(
        n=n, nPositive=npos, nNegative=nneg,
        baseRate=npos / n if n else None, meanScore=float(np.mean(s)) if n else None,
        auc=auc, aucStandardError=se, aucConfidenceLower=lower, aucConfidenceUpper=upper,
        averagePrecision=ap, undefinedReason=reason,
        logLoss=float(log_loss(y, s, labels=[0, 1])) if n else None,
        brier=float(brier_score_loss(y, s, pos_label=1)) if n else None,
        ece=ece, mce=mce,
        observedExpected=(npos / float(s.sum())) if n and s.sum() > 0 else None,
        calibrationInTheLarge=citl, calibrationIntercept=intercept, calibrationSlope=slope,
        thresholds=[threshold_metrics(y, s, t) for t in options["thresholds"]],
        topK=[top_k(y, s, f) for f in options["topKFractions"]],
        calibrationBins=bins,
    )


# ---------------------------------------------------------------------------------------------------
# Cases.

DEFAULT = dict(thresholds=[0.5], topKFractions=[], calibrationBins=10)
FULL = dict(thresholds=[0.0, 0.1, 0.3, 0.5, 0.7, 1.0], topKFractions=[0.01, 0.05, 0.1, 0.2, 0.5, 1.0],
            calibrationBins=10)

rng = np.random.default_rng(20261127)
moderate_s = rng.beta(2, 3, 300)
moderate_y = (rng.random(300) < np.clip(0.1 + 0.9 * moderate_s ** 1.5, 0, 1)).astype(int)

explicit = [
    ("ties, doc example (AUC 0.6667)", [.1, .5, .5, .9, .5, .3], [0, 0, 1, 1, 0, 1], FULL),
    ("AP doc example (AP 0.8333)", [.1, .4, .35, .8], [0, 0, 1, 1], FULL),
    ("threshold doc example", [.5, .5, .2, .7], [1, 0, 1, 1], FULL),
    ("pauc README example (AUC 0.708, CI 0.378-1.000)",
     [0.1, 0.35, 0.24, 0.8, 0.2, 0.85, 0.13, 0.85, 0.74, 0.58, 0.71, 0.25],
     [0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1], FULL),
    ("all positive", [.2, .9, .4, .4, .7], [1, 1, 1, 1, 1], FULL),
    ("all negative", [.2, .9, .4, .4, .7], [0, 0, 0, 0, 0], FULL),
    ("all scores equal", [.3] * 8, [1, 0, 0, 1, 0, 0, 0, 1], FULL),
    ("n = 1", [.7], [1], FULL),
    ("n = 2, one of each class", [.4, .6], [0, 1], FULL),
    ("n = 2, inverted", [.4, .6], [1, 0], FULL),
    ("scores exactly 0 and 1", [0.0, 1.0, 0.0, 1.0, 0.5, 0.25, 0.0, 1.0], [0, 1, 1, 0, 1, 0, 0, 1], FULL),
    ("scores on bin edges",
     [0.0, 0.1, 0.2, 0.3, 0.30000000000000004, 0.4, 0.5, 0.6, 0.6000000000000001, 0.7, 0.7000000000000001,
      0.8, 0.9, 1.0, 0.05, 0.95],
     [0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1], FULL),
    ("two positives, two negatives", [.1, .4, .35, .8], [1, 0, 1, 0], FULL),
    ("moderate random (numpy beta, n=300)", moderate_s.tolist(), moderate_y.tolist(), FULL),
    ("empty window", [], [], FULL),
]

generated = [
    ("100k rounded scores (heavy ties)", 20261127, 100_000, "rounded", FULL),
    ("20k continuous scores", 7, 20_000, "continuous", FULL),
]


def main():
    cases = []
    for name, s, y, opts in explicit:
        s_arr, y_arr = np.array(s, dtype=np.float64), np.array(y, dtype=np.int64)
        cases.append(dict(name=name, scores=[float(v) for v in s], labels=[bool(v) for v in y], options=opts,
                          expected=expected(y_arr, s_arr, opts)))
    for name, seed, n, kind, opts in generated:
        s_arr, y_arr = splitmix_rows(seed, n, kind)
        cases.append(dict(name=name, generated=dict(seed=seed, n=n, kind=kind), options=opts,
                          expected=expected(y_arr, s_arr, opts)))
    doc = dict(
        generator="Tests/PerformanceMetricsTests/Fixtures/generate_golden.py",
        versions=dict(numpy=np.__version__, scipy=scipy.__version__, sklearn=sklearn.__version__,
                      statsmodels=statsmodels.__version__),
        cases=cases,
    )
    out = pathlib.Path(__file__).with_name("golden.json")
    # json writes floats with repr(), which round-trips every float64 exactly.
    out.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
