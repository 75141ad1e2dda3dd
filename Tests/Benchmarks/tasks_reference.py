#!/usr/bin/env python3
"""The pandas / scikit-learn route to a regression or multiclass modelwatch job (tasks_generate.py's files);
docs/benchmark.md and docs/metrics.md#regression-and-multiclass-models.

Reads scores.csv, labels.csv, reference.csv and reference-labels.csv with pandas (pyarrow engine), joins the
labels observed by T to the window's predictions, and computes what modelwatch writes for the window:

  regression   modelwatch_regression (n, MAE, MSE, RMSE, R², bias, median AE, MAPE, max error, residual
               quantiles, the MAE / bias / RMSE intervals, means), modelwatch_label (the target's statistics
               and PSI / JS / KS against the reference targets), modelwatch_output (the prediction's)
  multiclass   modelwatch_multiclass (accuracy, balanced accuracy, macro / weighted / micro averages, kappa,
               log loss, Brier, OvR AUC macro / weighted, top-k), modelwatch_multiclass_class (per-class
               counts, precision / recall / F1, Wilson interval of recall, OvR AUC), modelwatch_confusion,
               modelwatch_label (PSI / JS of the true classes), modelwatch_output and modelwatch_output_class
               (the predicted classes' drift and shares)

plus the numeric and categorical features (reference.py's definitions) and the `sufficient` gates. Writes
{"series": {key: {field: value}}} for tasks_agree.py; a key is `measurement|tag=value|...` (tags class,
predicted_class, feature, rank). A value that scikit-learn leaves undefined (nan) is written as null: modelwatch
must then leave the field out.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, cohen_kappa_score, confusion_matrix, log_loss,
                             max_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                             median_absolute_error, precision_recall_fscore_support, r2_score, roc_auc_score,
                             root_mean_squared_error, top_k_accuracy_score)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import CategoricalReference, NumericReference, summary, wilson  # noqa: E402
from tasks_generate import CLASSES, FEATURES  # noqa: E402
from generate import NUM  # noqa: E402

AS_OF = pd.Timestamp("2026-11-02T00:00:00Z")
WINDOW_START = AS_OF - pd.Timedelta(days=1)
Z = 1.959963984540054
MIN_N, MIN_PER_CLASS, MIN_DRIFT, TOP_K, TOP_CATEGORIES = 200, 20, 200, 2, 10
NUMERIC = FEATURES[:NUM]
CATEGORICAL = FEATURES[NUM:]


def read(path, task, labels=False):
    if labels:
        dtype = {"prediction_id": "string[pyarrow]",
                 "label": "float64" if task == "regression" else "string[pyarrow]"}
    else:
        dtype = {c: "string[pyarrow]" for c in ["prediction_id", "model_version"] + CATEGORICAL}
        dtype.update({c: "float64" for c in NUMERIC})
        dtype["prediction"] = "float64" if task == "regression" else "string[pyarrow]"
        if task == "multiclass":
            dtype.update({f"p_{c}": "float64" for c in CLASSES})
    return pd.read_csv(path, engine="pyarrow", dtype=dtype)


def join(scores, labels, as_of=None):
    """The latest label per id observed by `as_of` (all of them without one), left-joined to the scores."""
    if as_of is not None:
        labels = labels[labels.label_time <= as_of]
    labels = labels.sort_values("label_time", kind="stable").drop_duplicates("prediction_id", keep="last")
    return scores.merge(labels[["prediction_id", "label"]], on="prediction_id", how="left")


def mean_ci(values):
    m, s = float(np.mean(values)), float(np.std(values, ddof=1))
    half = Z * s / math.sqrt(len(values))
    return m - half, m + half


# ---------------------------------------------------------------- regression

def regression_series(joined, ref_prediction, ref_label):
    prediction = joined["prediction"].to_numpy(float)
    target = joined["label"].to_numpy(float)
    scored = ~np.isnan(prediction)
    labelled = scored & ~np.isnan(target)
    y, p = target[labelled], prediction[labelled]
    e = p - y
    n = len(y)
    mse = mean_squared_error(y, p)
    perf = dict(n=n, n_scored=int(scored.sum()), label_coverage=n / int(scored.sum()),
                mae=mean_absolute_error(y, p), mse=mse, rmse=root_mean_squared_error(y, p),
                r2=r2_score(y, p), bias=float(np.mean(e)), median_absolute_error=median_absolute_error(y, p),
                mape=mean_absolute_percentage_error(y, p), max_error=max_error(y, p),
                mean_prediction=float(np.mean(p)), mean_target=float(np.mean(y)),
                sufficient=n >= MIN_N, provisional=True)
    perf["mae_ci_lower"], perf["mae_ci_upper"] = mean_ci(np.abs(e))
    perf["bias_ci_lower"], perf["bias_ci_upper"] = mean_ci(e)
    s2 = float(np.std(e * e, ddof=1))
    perf["rmse_ci_lower"] = math.sqrt(max(0.0, mse - Z * s2 / math.sqrt(n)))
    perf["rmse_ci_upper"] = math.sqrt(mse + Z * s2 / math.sqrt(n))
    for q in (5, 25, 50, 75, 95):
        perf[f"residual_p{q:02d}"] = float(np.quantile(e, q / 100))
    series = {"modelwatch_regression": perf}
    label = dict(count=n, **summary(y), **ref_label.drift(y, 0), drift_sufficient=n >= MIN_DRIFT)
    series["modelwatch_label"] = label
    rows = len(joined)
    present = prediction[scored]
    series["modelwatch_output"] = dict(count=rows, missing_rate=(rows - len(present)) / rows, **summary(present),
                                       **ref_prediction.drift(present, rows - len(present)),
                                       drift_sufficient=rows >= MIN_DRIFT)
    return series


# ---------------------------------------------------------------- multiclass

def class_index(names):
    """0..K-1 for the listed classes, K for any other (`(other)`)."""
    codes = pd.Index(CLASSES).get_indexer(names.to_numpy(object)).astype(np.int64)
    return np.where(codes < 0, len(CLASSES), codes)


def multiclass_series(joined, ref_prediction, ref_label):
    k = len(CLASSES)
    predicted_name = joined["prediction"]
    scored = predicted_name.notna().to_numpy()
    labelled_mask = scored & joined["label"].notna().to_numpy()
    part = joined[labelled_mask]
    y, p = class_index(part["label"]), class_index(part["prediction"])
    n = len(y)
    other_labels, other_predictions = int((y == k).sum()), int((p == k).sum())
    classes = k + 1 if other_labels + other_predictions else k
    names = CLASSES + ["(other)"] * (classes - k)
    labels = list(range(classes))
    perf = dict(n=n, n_scored=int(scored.sum()), label_coverage=n / int(scored.sum()), classes=classes,
                other_labels=other_labels, other_predictions=other_predictions,
                accuracy=accuracy_score(y, p), balanced_accuracy=balanced_accuracy_score(y, p),
                sufficient=n >= MIN_N, provisional=True)
    for average in ("macro", "weighted"):
        pr, rc, f1, _ = precision_recall_fscore_support(y, p, labels=labels, average=average, zero_division=0)
        perf.update({f"{average}_precision": pr, f"{average}_recall": rc, f"{average}_f1": f1})
    perf["micro_f1"] = precision_recall_fscore_support(y, p, labels=labels, average="micro", zero_division=0)[2]
    perf["cohen_kappa"] = cohen_kappa_score(y, p, labels=labels)

    # Probability metrics: true class in the list, every probability present, in [0, 1], summing to 1 ± 1e-6.
    probs = part[[f"p_{c}" for c in CLASSES]].to_numpy(float)
    usable = (y < k) & np.all(np.isfinite(probs), 1) & np.all((probs >= 0) & (probs <= 1), 1)
    usable &= np.abs(np.nan_to_num(probs).sum(1) - 1) <= 1e-6
    py, pp = y[usable], probs[usable]
    perf["n_probabilities"] = len(py)
    perf["log_loss"] = log_loss(py, pp, labels=list(range(k)))
    perf["brier"] = float(np.mean(np.sum((pp - np.eye(k)[py]) ** 2, 1)))
    perf["roc_auc_macro"] = roc_auc_score(py, pp, multi_class="ovr", average="macro", labels=list(range(k)))
    perf["roc_auc_weighted"] = roc_auc_score(py, pp, multi_class="ovr", average="weighted", labels=list(range(k)))
    perf["top_k_accuracy"] = top_k_accuracy_score(py, pp, k=TOP_K, labels=list(range(k)))
    perf["top_k"] = TOP_K
    series = {"modelwatch_multiclass": perf}

    cm = confusion_matrix(y, p, labels=labels)
    precision, recall, f1, support = precision_recall_fscore_support(y, p, labels=labels, average=None,
                                                                     zero_division=np.nan)
    for c in labels:
        tp = int(cm[c, c])
        point = dict(support=int(support[c]), predicted=int(cm[:, c].sum()), tp=tp, fp=int(cm[:, c].sum()) - tp,
                     fn=int(cm[c, :].sum()) - tp, precision=precision[c], recall=recall[c], f1=f1[c],
                     label_share=support[c] / n, sufficient=bool(support[c] >= MIN_PER_CLASS))
        point["recall_ci_lower"], point["recall_ci_upper"] = wilson(tp, support[c])
        point["roc_auc"] = roc_auc_score(py == c, pp[:, c]) if c < k and 0 < (py == c).sum() < len(py) else None
        series[f"modelwatch_multiclass_class|class={names[c]}"] = point
        for j in labels:
            if cm[c, j]:
                series[f"modelwatch_confusion|class={names[c]}|predicted_class={names[j]}"] = dict(
                    count=int(cm[c, j]), share=cm[c, j] / support[c])

    # Label drift: the true classes by name against the reference labels (the profile's `(label)` entry).
    counts = part["label"].value_counts(dropna=True)
    drift, _ = ref_label.drift(counts, 0)
    series["modelwatch_label"] = dict(count=n, **drift, drift_sufficient=n >= MIN_DRIFT)

    # The prediction in the input window: every row, the predicted classes' drift and shares.
    rows = len(joined)
    counts = predicted_name.value_counts(dropna=True)
    present = int(counts.sum())
    drift, _ = ref_prediction.drift(counts, rows - present)
    series["modelwatch_output"] = dict(count=rows, missing_rate=(rows - present) / rows, **drift,
                                       drift_sufficient=rows >= MIN_DRIFT)
    other = present - int(sum(counts.get(c, 0) for c in CLASSES))
    for c in CLASSES + (["(other)"] if other else []):
        count = int(counts.get(c, 0)) if c != "(other)" else other
        point = dict(count=count, share=count / present)
        if c != "(other)":
            point["reference_share"] = ref_prediction.share(c)
        series[f"modelwatch_output_class|class={c}"] = point
    return series


# ---------------------------------------------------------------- features (as reference.py)

def feature_series(joined, reference):
    series = {}
    n = len(joined)
    for name in NUMERIC:
        values = joined[name].to_numpy(float)
        p = values[~np.isnan(values)]
        point = dict(count=n, missing_rate=(n - len(p)) / n, missing_count=int(n - len(p)), **summary(p),
                     drift_sufficient=n >= MIN_DRIFT)
        point.update(NumericReference(reference[name].to_numpy(float)).drift(p, n - len(p)))
        series[f"modelwatch_feature|feature={name}"] = point
    for name in CATEGORICAL:
        ref = CategoricalReference(reference[name])
        counts = joined[name].value_counts(dropna=True)
        present = int(counts.sum())
        drift, unseen = ref.drift(counts, n - present)
        series[f"modelwatch_feature|feature={name}"] = dict(
            count=n, missing_rate=(n - present) / n, missing_count=n - present, distinct_count=len(counts),
            unseen_rate=unseen / present, **drift, drift_sufficient=n >= MIN_DRIFT)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:TOP_CATEGORIES]
        for rank, (category, count) in enumerate(ranked, start=1):
            series[f"modelwatch_feature_category|feature={name}|rank={rank:02d}"] = dict(
                category=category, share=count / present, reference_share=ref.share(category))
    return series


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", choices=["regression", "multiclass"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    timings = {}
    t0 = time.perf_counter()
    scores = read(f"{args.data}/scores.csv", args.task)
    labels = read(f"{args.data}/labels.csv", args.task, labels=True)
    reference = read(f"{args.data}/reference.csv", args.task)
    reference_labels = read(f"{args.data}/reference-labels.csv", args.task, labels=True)
    t1 = time.perf_counter()
    timings["read"] = t1 - t0

    scores = scores[(scores.prediction_time >= WINDOW_START) & (scores.prediction_time < AS_OF)]
    joined = join(scores.drop_duplicates("prediction_id", keep="last"), labels, AS_OF)
    reference = join(reference, reference_labels)
    t2 = time.perf_counter()
    timings["join"] = t2 - t1

    if args.task == "regression":
        ref_prediction = NumericReference(reference["prediction"].to_numpy(float))
        ref_label = NumericReference(reference["label"].dropna().to_numpy(float))
        series = regression_series(joined, ref_prediction, ref_label)
    else:
        ref_prediction = CategoricalReference(reference["prediction"])
        ref_label = CategoricalReference(reference["label"].dropna())
        series = multiclass_series(joined, ref_prediction, ref_label)
    t3 = time.perf_counter()
    timings["performance"] = t3 - t2
    series.update(feature_series(joined, reference))
    timings["features_and_drift"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0

    def clean(v):
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return None if math.isnan(v) else float(v)
        return v
    with open(args.out, "w") as f:
        json.dump({"series": {k: {f: clean(v) for f, v in d.items()} for k, d in series.items()},
                   "timings": timings, "rows": len(joined)}, f, indent=1)
    print(json.dumps({"stages": {k: round(v, 3) for k, v in timings.items()}}))


if __name__ == "__main__":
    main()
