#!/usr/bin/env python3
"""Deterministic benchmark data for a regression and a multiclass model (numpy, seeded); docs/benchmark.md.

The files have the shape of generate.py's binary benchmark (its 20 numeric and 5 categorical features, the same
time layout, the label delays) with the prediction of another task in place of the score:

  --task regression   `prediction` (an ETA in minutes, 2 decimals, ~1% empty) against a numeric `label`
                      (the actual minutes, always > 0).
  --task multiclass   `prediction` (one of 5 classes, ~1% empty) and `p_<class>` (its probabilities, 4 decimals
                      summing to 1 exactly in decimal, ~0.5% of rows with one empty cell), against the true class
                      in `label`; ~0.3% of the labels are a sixth class outside the config's list (`(other)`).

Writes into OUT:
  scores.csv, labels.csv        N predictions; 90% of them labelled, in shuffled order, a label's delay
                                exponential (mean 3 h) and not capped, so the labels arriving after T are not
                                yet observed (about 2%): only part of the window has matured
  reference.csv,                200k reference rows one day a month earlier, slightly shifted, all labelled
  reference-labels.csv          (the profile's `(label)` entry: label drift)
  modelwatch.yaml               the job (window 1d, maturity 1d, restate_provisional: as generate.py)
  modelwatch-profile.yaml       the same model reading the reference files, for `modelwatch profile`
Same arguments, same bytes.
"""
import argparse
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import (AS_OF_MS, CAT, CHUNK, DAY_MS, HEADER, NUM, REF_START_MS, categorical_features,  # noqa: E402
                      fmt, numeric_features, timestamps, with_empty, write_rows)

CLASSES = ["bike", "car", "bus", "train", "walk"]
OUTSIDE_CLASS = "ferry"  # labels outside the class list: counted as `(other)`
FEATURES = HEADER[5:5 + NUM + CAT]


def ids_text(start, n):
    return pc.binary_join_element_wise(
        "p", pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n)), pa.string()), 11, "0"), "")


def regression_rows(rng, n, shift):
    """The prediction column and the target (text), from a latent ETA."""
    eta = 8 + rng.gamma(2.5, 9 + 2 * shift, n)                       # minutes, > 8
    target = eta * rng.lognormal(0, 0.12, n)                         # actual minutes
    prediction = eta + rng.normal(0.5 + 2 * shift, 4, n)             # biased, noisy
    prediction_text = with_empty(rng, fmt(prediction, 2), n, 0.01)
    return [prediction_text], fmt(target, 2)


def multiclass_rows(rng, n, shift):
    """The predicted class and its probability columns (text), and the true class."""
    k = len(CLASSES)
    prior = np.log(np.array([0.15, 0.35, 0.25, 0.15, 0.10]))
    prior[3] += shift
    logits = rng.normal(0, 1, (n, k)) + prior
    true_p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    u = rng.random(n)[:, None]
    truth = (np.cumsum(true_p, 1) < u).sum(1).clip(0, k - 1)
    # The model's probabilities: the true ones seen through noise, in whole ten-thousandths summing to 10,000.
    noisy = np.exp(np.log(true_p) + rng.normal(0, 0.6, (n, k)))
    noisy /= noisy.sum(1, keepdims=True)
    units = np.floor(noisy * 10_000).astype(np.int64)
    rest = 10_000 - units.sum(1)
    units[np.arange(n), units.argmax(1)] += rest
    predicted = units.argmax(1)                                      # first of the tied maxima
    names = np.array(CLASSES)
    prediction_text = with_empty(rng, pa.array(names[predicted]), n, 0.01)
    prob_cols = [pc.cast(pa.array(units[:, c] / 10_000), pa.string()) for c in range(k)]
    # ~0.5% of the rows lose one probability cell (left out of the probability metrics only).
    broken = rng.random(n) < 0.005
    which = rng.integers(0, k, n)
    prob_cols = [pc.if_else(pa.array(broken & (which == c)), pa.scalar(None, pa.string()), col)
                 for c, col in enumerate(prob_cols)]
    label_names = np.where(rng.random(n) < 0.003, OUTSIDE_CLASS, names[truth])
    return [prediction_text] + prob_cols, pa.array(label_names)


def task_header(task):
    extra = ["prediction"] + ([f"p_{c}" for c in CLASSES] if task == "multiclass" else [])
    return ["prediction_id", "prediction_time", "model_version"] + extra + FEATURES


def write_files(task, scores_path, labels_path, n, seed, start_ms, span_ms, shift, reference):
    label_parts = []
    with open(scores_path + ".tmp", "wb") as out:
        out.write((",".join(task_header(task)) + "\n").encode())
        for chunk, start in enumerate(range(0, n, CHUNK)):
            m = min(CHUNK, n - start)
            rng = np.random.default_rng([seed, chunk])
            c_start = start_ms + span_ms * start // n
            c_span = span_ms * (start + m) // n - span_ms * start // n
            times = np.sort(rng.integers(c_start, c_start + c_span, m))
            num = numeric_features(rng, m, shift)
            cat = categorical_features(rng, m, shift)
            task_columns, label_text = (regression_rows if task == "regression" else multiclass_rows)(rng, m, shift)
            write_rows(out, [ids_text(start, m), timestamps(times), pa.array(np.full(m, "v1"))] + task_columns + num + cat)
            labelled = np.ones(m, bool) if reference else rng.random(m) < 0.9
            delay = rng.exponential(3 * 3_600_000, m).astype(np.int64)
            label_ms = times + 1000 + delay
            if reference:
                label_ms = np.minimum(label_ms, start_ms + span_ms - 1)
            idx = np.nonzero(labelled)[0]
            label_parts.append((start + idx, label_text.take(pa.array(idx)), label_ms[idx]))
    os.replace(scores_path + ".tmp", scores_path)
    ids = np.concatenate([p[0] for p in label_parts])
    labels = pa.concat_arrays([p[1] for p in label_parts])
    t = np.concatenate([p[2] for p in label_parts])
    order = np.random.default_rng([seed, 999_999]).permutation(len(ids))
    with open(labels_path + ".tmp", "wb") as out:
        out.write(b"prediction_id,label,label_time\n")
        for s in range(0, len(order), CHUNK):
            o = order[s:s + CHUNK]
            write_rows(out, [pc.binary_join_element_wise("p", pc.utf8_lpad(pc.cast(pa.array(ids[o]), pa.string()), 11, "0"), ""),
                             labels.take(pa.array(o)), timestamps(t[o])])
    os.replace(labels_path + ".tmp", labels_path)


CONFIG = """\
# Benchmark config written by Tests/Benchmarks/tasks_generate.py ({task}). Paths are relative to this file.
# As generate.py's: every prediction in [T-1d, T) is in the input window and, with maturity 1d and
# restatement on, in the provisional performance window [T-1d, T).
run:
  max_bad_rows: 1000
  time_budget: 30m
models:
  - name: bench_{task}
    task: {task}{multiclass}
    window: 1d
    maturity: 1d
    restate_provisional: true
    minimum_samples: {{n: 200{per_class}}}
    top_categories: 10
    reference_profile: reference-profile.json
    scores:
      path: {scores}
      columns:
        id: prediction_id
        time: prediction_time
        version: model_version
        prediction: prediction{probabilities}
    labels:
      path: {labels}
      columns: {{id: prediction_id, label: label, time: label_time}}
    features:
      numeric: [{numeric}]
      categorical: [{categorical}]
"""


def write_configs(task, out):
    multiclass = per_class = probabilities = ""
    if task == "multiclass":
        multiclass = f"\n    classes: [{', '.join(CLASSES)}]\n    top_k_accuracy: 2"
        per_class = ", per_class: 20"
        probabilities = "\n        probabilities: {" + ", ".join(f"{c}: p_{c}" for c in CLASSES) + "}"
    for name, scores, labels in (("modelwatch.yaml", "scores.csv", "labels.csv"),
                                 ("modelwatch-profile.yaml", "reference.csv", "reference-labels.csv")):
        with open(os.path.join(out, name), "w") as f:
            f.write(CONFIG.format(task=task, multiclass=multiclass, per_class=per_class, probabilities=probabilities,
                                  scores=scores, labels=labels, numeric=", ".join(FEATURES[:NUM]),
                                  categorical=", ".join(FEATURES[NUM:])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", choices=["regression", "multiclass"], required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--reference-rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    seed = args.seed + (0 if args.task == "regression" else 1000)
    write_files(args.task, os.path.join(args.out, "reference.csv"), os.path.join(args.out, "reference-labels.csv"),
                args.reference_rows, seed + 1, REF_START_MS, DAY_MS, 0.0, reference=True)
    write_files(args.task, os.path.join(args.out, "scores.csv"), os.path.join(args.out, "labels.csv"),
                args.rows, seed, AS_OF_MS - DAY_MS, DAY_MS, 0.2, reference=False)
    write_configs(args.task, args.out)
    print(f"wrote {args.rows} {args.task} predictions, labels and {args.reference_rows} reference rows to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
