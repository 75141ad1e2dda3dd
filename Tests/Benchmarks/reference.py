#!/usr/bin/env python3
"""The pandas / scikit-learn / scipy route to modelwatch's job, for the benchmark (docs/benchmark.md).

Reads scores.csv, labels.csv and reference.csv of a benchmark directory with pandas (pyarrow CSV engine),
joins labels to scores, and computes the metrics modelwatch writes for the benchmark config: performance
(AUC, DeLong SE/CI, AP, thresholds, top-k, log loss, Brier, reliability bins, ECE/MCE, O/E, recalibration),
output statistics, numeric and categorical feature statistics, and PSI / JS / KS against the reference sample.

Writes the values as JSON ({"series": {key: {field: value}}, "timings": {...}}) for agree.py; keys are
`measurement|tag=value|...` with the tags that distinguish the series (threshold, k_percent, bin, feature, rank).
The definitions follow docs/metrics.md and docs/drift.md; they are implemented independently of modelwatch's
profile file (the reference bins are recomputed from reference.csv).
"""
import argparse
import json
import math
import time

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.special import expit
from scipy.stats import binomtest, ks_2samp, rankdata
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

AS_OF = pd.Timestamp("2026-11-02T00:00:00Z")
WINDOW_START = AS_OF - pd.Timedelta(days=1)
THRESHOLDS = [0.3, 0.5, 0.7]


def wilson(k, n):
    """95% Wilson interval of k/n from scipy (modelwatch's *_ci_lower/_ci_upper), or (None, None) when n = 0."""
    if n == 0:
        return None, None
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def with_intervals(fields, k_precision, n_precision, k_recall, n_recall):
    """`fields` plus precision_ci_lower/upper and recall_ci_lower/upper."""
    fields["precision_ci_lower"], fields["precision_ci_upper"] = wilson(k_precision, n_precision)
    fields["recall_ci_lower"], fields["recall_ci_upper"] = wilson(k_recall, n_recall)
    return fields
TOP_K = [1, 5, 10]
TOP_CATEGORIES = 10
MAX_STORED_CATEGORIES = 1000
DRIFT_CATEGORIES = 20  # categories with a drift bin of their own; the rest share one "other" bin
EXACT_CDF_LIMIT = 10_000
FLOOR = 1e-4
Z = 1.959963984540054
EPS = np.finfo(np.float64).eps
NUMERIC_COLUMNS = ["score"] + [f"f_num_{i:02d}" for i in range(20)]
QUANTILES = {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}


def read(path, categorical):
    dtype = {c: "string[pyarrow]" for c in categorical}
    dtype.update({"prediction_id": "string[pyarrow]"})
    dtype.update({c: "float64" for c in NUMERIC_COLUMNS})
    return pd.read_csv(path, engine="pyarrow", dtype=dtype)


def threshold_label(t):
    return str(int(t)) if t == round(t) else repr(t)


# ---------------------------------------------------------------- performance

def delong(scores, labels):
    pos = scores[labels == 1]
    neg = scores[labels == 0]
    p, n = len(pos), len(neg)
    if p < 2 or n < 2:
        return None
    tz = rankdata(np.concatenate([pos, neg]))
    tx = rankdata(pos)
    ty = rankdata(neg)
    v10 = (tz[:p] - tx) / n
    v01 = 1 - (tz[p:] - ty) / p
    var = np.var(v10, ddof=1) / p + np.var(v01, ddof=1) / n
    return math.sqrt(var)


def newton_offset(lp, y, w):
    """CITL: logit P(y) = a + lp, maximum likelihood for a (rows grouped: w = weights)."""
    a = 0.0
    for _ in range(200):
        p = expit(a + lp)
        g = np.sum(w * (y - p))
        h = np.sum(w * p * (1 - p))
        step = g / h
        a += step
        if abs(step) <= 1e-12 * (1 + abs(a)):
            break
    return a


def newton_joint(lp, y, w):
    beta = np.zeros(2)
    x = np.column_stack([np.ones_like(lp), lp])
    for _ in range(200):
        p = expit(x @ beta)
        g = x.T @ (w * (y - p))
        h = (x * (w * p * (1 - p))[:, None]).T @ x
        step = np.linalg.solve(h, g)
        beta += step
        if np.all(np.abs(step) <= 1e-12 * (1 + np.abs(beta))):
            break
    return beta


def performance(scores, labels, scored):
    out = {}
    thr, topk, bins = {}, {}, {}
    n = len(scores)
    npos = int(labels.sum())
    out.update(n=n, n_pos=npos, n_neg=n - npos, n_scored=scored, label_coverage=n / scored,
               base_rate=npos / n, mean_score=float(np.mean(scores)))
    out["auc"] = roc_auc_score(labels, scores)
    se = delong(scores, labels)
    out["auc_se"] = se
    out["auc_ci_lower"] = max(0.0, out["auc"] - Z * se)
    out["auc_ci_upper"] = min(1.0, out["auc"] + Z * se)
    out["average_precision"] = average_precision_score(labels, scores)
    out["log_loss"] = log_loss(labels, scores, labels=[0, 1])
    out["brier"] = brier_score_loss(labels, scores)
    out["observed_expected"] = labels.sum() / scores.sum()
    # thresholds: score >= t is positive
    order = np.sort(scores)
    pos_sorted = np.sort(scores[labels == 1])
    for t in THRESHOLDS:
        tp = npos - np.searchsorted(pos_sorted, t, side="left")
        pp = n - np.searchsorted(order, t, side="left")
        fp = pp - tp
        fn = npos - tp
        tn = (n - npos) - fp
        thr[threshold_label(t)] = with_intervals(dict(
            tp=int(tp), fp=int(fp), tn=int(tn), fn=int(fn),
            precision=tp / pp if pp else None, recall=tp / npos if npos else None,
            f1=2 * tp / (2 * tp + fp + fn), fpr=fp / (fp + tn), specificity=tn / (tn + fp),
            predicted_positive_rate=pp / n), tp, pp, tp, npos)
    # top-k: ceil(f n), ties at the cut-off included
    desc = order[::-1]
    for k_percent in TOP_K:
        k = min(max(math.ceil(k_percent / 100 * n - 1e-9), 1), n)
        cutoff = desc[k - 1]
        selected = n - np.searchsorted(order, cutoff, side="left")
        positives = npos - np.searchsorted(pos_sorted, cutoff, side="left")
        topk[str(k_percent)] = with_intervals(dict(k=k, selected=int(selected), score_cutoff=float(cutoff),
                                                   precision=positives / selected, recall=positives / npos),
                                              positives, selected, positives, npos)
    # reliability bins: linspace edges, right-closed
    edges = np.linspace(0, 1, 11)
    b = np.searchsorted(edges[1:-1], scores, side="left")
    counts = np.bincount(b, minlength=10)
    sums = np.bincount(b, weights=scores, minlength=10)
    hits = np.bincount(b, weights=labels, minlength=10)
    ece, mce = 0.0, 0.0
    for i in range(10):
        entry = dict(count=int(counts[i]), lower=float(edges[i]), upper=float(edges[i + 1]))
        if counts[i]:
            mp, orate = sums[i] / counts[i], hits[i] / counts[i]
            entry.update(mean_predicted=mp, observed_rate=orate)
            ece += counts[i] / n * abs(orate - mp)
            mce = max(mce, abs(orate - mp))
        bins[f"{i:02d}"] = entry
    out["ece"], out["mce"] = ece, mce
    # recalibration on the clipped logit, grouped by distinct score
    uniq, inverse = np.unique(scores, return_inverse=True)
    w = np.bincount(inverse).astype(float)
    ysum = np.bincount(inverse, weights=labels)
    clipped = np.clip(uniq, EPS, 1 - EPS)
    lp = np.log(clipped / (1 - clipped))
    out["calibration_in_the_large"] = newton_offset(lp, ysum / w, w)
    a, s = newton_joint(lp, ysum / w, w)
    out["calibration_intercept"], out["calibration_slope"] = a, s
    return out, thr, topk, bins


# ---------------------------------------------------------------- inputs, outputs, drift

def summary(present):
    if len(present) == 0:
        return {}
    s = dict(mean=float(np.mean(present)), std=float(np.std(present, ddof=1)) if len(present) > 1 else None,
             min=float(present.min()), max=float(present.max()), zero_rate=float(np.mean(present == 0)))
    qs = np.quantile(present, list(QUANTILES.values()))
    s.update({k: float(v) for k, v in zip(QUANTILES, qs)})
    return s


def psi(ref_counts, cur_counts):
    ref = np.asarray(ref_counts, float)
    cur = np.asarray(cur_counts, float)
    both_empty = (ref == 0) & (cur == 0)
    e = np.maximum(ref / ref.sum(), FLOOR)
    a = np.maximum(cur / cur.sum(), FLOOR)
    terms = np.where(both_empty, 0.0, (a - e) * np.log(a / e))
    return math.fsum(terms)


def js(ref_counts, cur_counts):
    return float(jensenshannon(np.asarray(ref_counts, float), np.asarray(cur_counts, float), base=2))


class NumericReference:
    def __init__(self, values):
        present = values[~np.isnan(values)]
        self.present = present
        self.missing = len(values) - len(present)
        self.edges = np.unique(np.quantile(present, np.arange(1, 10) / 10))
        self.bins = np.bincount(np.searchsorted(self.edges, present, side="left"), minlength=len(self.edges) + 1)
        self.exact_ks = len(np.unique(present)) <= EXACT_CDF_LIMIT

    def drift(self, present, missing):
        cur_bins = np.bincount(np.searchsorted(self.edges, present, side="left"), minlength=len(self.edges) + 1)
        ref = np.append(self.bins, self.missing)
        cur = np.append(cur_bins, missing)
        return dict(psi=psi(ref, cur), js=js(ref, cur),
                    ks=float(ks_2samp(self.present, present).statistic) if len(present) else None)


class CategoricalReference:
    def __init__(self, values):
        counts = values.value_counts(dropna=True)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))
        stored = ranked[:MAX_STORED_CATEGORIES]
        self.stored = dict(stored)
        self.present = int(counts.sum())
        self.other = self.present - sum(self.stored.values())
        self.missing = int(values.isna().sum())
        self.order = sorted((c for c, _ in stored[:DRIFT_CATEGORIES]), key=lambda c: c.encode())

    def share(self, category):
        return self.stored.get(category, 0) / self.present

    def drift(self, counts, missing):
        cur = [int(counts.get(c, 0)) for c in self.order]
        unseen = int(sum(v for c, v in counts.items() if c not in self.stored))
        ref = [self.stored[c] for c in self.order]
        ref = ref + [self.present - sum(ref), self.missing]
        cur = cur + [int(counts.sum()) - sum(cur), missing]
        return dict(psi=psi(ref, cur), js=js(ref, cur)), unseen


def performance_series(joined, tags):
    """The performance window's series of one slice (`tags`: the slice's part of the key)."""
    series = {}
    score = joined["score"].to_numpy(float)
    present_score = ~np.isnan(score)
    label = joined["label"].to_numpy(float)
    labelled = present_score & ~np.isnan(label)
    perf, thr, topk, bins = performance(score[labelled], label[labelled].astype(np.int64), int(present_score.sum()))
    series[f"modelwatch_performance{tags}"] = perf
    for k, v in thr.items():
        series[f"modelwatch_threshold{tags}|threshold={k}"] = v
    for k, v in topk.items():
        series[f"modelwatch_topk{tags}|k_percent={k}"] = v
    for k, v in bins.items():
        series[f"modelwatch_calibration_bin{tags}|bin={k}"] = v
    return series


def input_series(joined, tags, numeric, categorical, ref_score, ref_numeric, ref_categorical):
    """The input window's series of one slice: the output (score) and every feature, with drift."""
    series = {}
    n = len(joined)
    score = joined["score"].to_numpy(float)
    present = score[~np.isnan(score)]
    out = dict(count=n, missing_rate=(n - len(present)) / n, **summary(present))
    out.update(ref_score.drift(present, n - len(present)))
    series[f"modelwatch_output{tags}"] = out
    for t in THRESHOLDS:
        series[f"modelwatch_output_threshold{tags}|threshold={threshold_label(t)}"] = dict(
            predicted_positive_rate=float(np.mean(present >= t)))
    for name in numeric:
        values = joined[name].to_numpy(float)
        p = values[~np.isnan(values)]
        point = dict(count=n, missing_rate=(n - len(p)) / n, null_count=int(n - len(p)), **summary(p))
        point.update(ref_numeric[name].drift(p, n - len(p)))
        series[f"modelwatch_feature{tags}|feature={name}"] = point
    for name in categorical:
        counts = joined[name].value_counts(dropna=True)
        present_count = int(counts.sum())
        missing = n - present_count
        ref = ref_categorical[name]
        drift, unseen = ref.drift(counts, missing)
        point = dict(count=n, missing_rate=missing / n, null_count=missing, distinct_count=len(counts),
                     unseen_rate=unseen / present_count, **drift)
        series[f"modelwatch_feature{tags}|feature={name}"] = point
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:TOP_CATEGORIES]
        for rank, (category, count) in enumerate(ranked, start=1):
            series[f"modelwatch_feature_category{tags}|feature={name}|rank={rank:02d}"] = dict(
                category=category, share=count / present_count, reference_share=ref.share(category))
    return series


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--segment", help="segment column: also compute every metric per value of it")
    args = parser.parse_args()
    timings = {}
    t0 = time.perf_counter()
    numeric = [f"f_num_{i:02d}" for i in range(20)]
    categorical = [f"f_cat_{i:02d}" for i in range(5)]
    scores = read(f"{args.data}/scores.csv", categorical + ["region", "model_version"])
    labels = read(f"{args.data}/labels.csv", [])
    reference = read(f"{args.data}/reference.csv", categorical + ["region", "model_version"])
    t1 = time.perf_counter()
    timings["read"] = t1 - t0

    # join: labels observed up to T, the latest label per id wins; scores of the window
    scores = scores[(scores.prediction_time >= WINDOW_START) & (scores.prediction_time < AS_OF)]
    scores = scores.drop_duplicates("prediction_id", keep="last")
    labels = labels[labels.label_time <= AS_OF].sort_values("label_time", kind="stable")
    labels = labels.drop_duplicates("prediction_id", keep="last")
    joined = scores.merge(labels[["prediction_id", "label"]], on="prediction_id", how="left")
    t2 = time.perf_counter()
    timings["join"] = t2 - t1

    # References of the score and the features, built once and shared by every slice.
    t3 = time.perf_counter()
    ref_score = NumericReference(reference["score"].to_numpy(float))
    ref_numeric = {name: NumericReference(reference[name].to_numpy(float)) for name in numeric}
    ref_categorical = {name: CategoricalReference(reference[name]) for name in categorical}
    timings["references"] = time.perf_counter() - t3

    # The slices: all rows, then (with --segment) one per value of the segment column, as modelwatch's
    # `segments: [COLUMN]` writes them (tags segment=COLUMN, segment_value=VALUE).
    slices = [("", joined)]
    if args.segment:
        slices += [(f"|segment={args.segment}|segment_value={value}", part)
                   for value, part in joined.groupby(args.segment, sort=True)]
    series = {}
    timings["performance"] = 0.0
    timings["features_and_drift"] = 0.0
    for tags, part in slices:
        t_slice = time.perf_counter()
        series.update(performance_series(part, tags))
        t_features = time.perf_counter()
        series.update(input_series(part, tags, numeric, categorical, ref_score, ref_numeric, ref_categorical))
        timings["performance"] += t_features - t_slice
        timings["features_and_drift"] += time.perf_counter() - t_features
    timings["total"] = time.perf_counter() - t0

    def clean(v):
        if isinstance(v, (np.integer,)):
            return int(v)
        if isinstance(v, (np.floating,)):
            return float(v)
        return v
    with open(args.out, "w") as f:
        json.dump({"series": {k: {f: clean(v) for f, v in d.items() if v is not None} for k, d in series.items()},
                   "timings": timings, "rows": len(joined)}, f, indent=1)
    print(json.dumps({"stages": {k: round(v, 3) for k, v in timings.items()}}))


if __name__ == "__main__":
    main()
