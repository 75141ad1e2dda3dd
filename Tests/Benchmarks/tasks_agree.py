#!/usr/bin/env python3
"""Agreement of a regression or multiclass modelwatch run (its line protocol) with tasks_reference.py.

Every series modelwatch wrote at T for the all-rows slice in the measurements below is compared field by field
with the reference, in both directions: a field or series that one side has and the other lacks is a failure
(a value scikit-learn leaves undefined, written as null by the reference, must be absent from modelwatch's
output), except the fields listed in NOT_COMPUTED. Exits 1 on any failure, listing them.

Tolerances (absolute unless said otherwise):
  counts (a feature's missing_count: the sum of modelwatch's null, empty, NaN, ±Inf and invalid counts), classes, top_k, booleans (sufficient, provisional, drift_sufficient), category names ...... exact
  error metrics and statistics in the target's unit (MAE, MSE, RMSE, bias, median AE, max error, residual
  quantiles, the intervals, means, the target's and prediction's mean / std / min / max / quantiles)
  ................................................................ 1e-9 relative to max(1, |value|)
  ratios (R², MAPE, rates, shares, accuracies, precision, recall, F1, kappa, log loss, Brier, AUC, PSI, JS)
  ................................................................................................ 1e-9
  KS where the reference has <= 10,000 distinct values (exact CDF) ................................... 1e-9
  KS where it has more (quantile CDF, docs/drift.md) ................................ 1/20,000 + 1/n_reference
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agree import parse_line_protocol  # noqa: E402

AS_OF_MS = 1793577600000
COMPARED = {
    "regression": ["modelwatch_regression", "modelwatch_label", "modelwatch_output", "modelwatch_feature",
                   "modelwatch_feature_category"],
    "multiclass": ["modelwatch_multiclass", "modelwatch_multiclass_class", "modelwatch_confusion", "modelwatch_label",
                   "modelwatch_output", "modelwatch_output_class", "modelwatch_feature", "modelwatch_feature_category"],
}
SERIES_TAGS = ("class", "predicted_class", "feature", "rank")
NOT_COMPUTED = {"profile_fingerprint"}
# A feature's missing cells by kind: pandas reads an unquoted empty cell (null), a quoted empty one and `nan` text
# alike as NaN, so the reference has only their total, `missing_count`; the kinds must add up to it (exact).
MISSING_KINDS = ("null_count", "empty_count", "nan_count", "inf_count", "invalid_count")
EXACT = {"missing_count", "n", "n_scored", "n_probabilities", "classes", "other_labels", "other_predictions", "top_k", "support",
         "predicted", "tp", "fp", "fn", "count", "null_count", "distinct_count", "category", "sufficient",
         "provisional", "drift_sufficient"}
RELATIVE = {"mae", "mse", "rmse", "bias", "median_absolute_error", "max_error", "mean_prediction", "mean_target",
            "mae_ci_lower", "mae_ci_upper", "bias_ci_lower", "bias_ci_upper", "rmse_ci_lower", "rmse_ci_upper",
            "residual_p05", "residual_p25", "residual_p50", "residual_p75", "residual_p95",
            "mean", "std", "min", "max", "p01", "p05", "p25", "p50", "p75", "p95", "p99"}


def modelwatch_series(points, measurements):
    """The compared series, and the names of the points left out (other measurements, other windows)."""
    series, skipped = {}, set()
    for measurement, tags, fields, timestamp in points:
        if timestamp != AS_OF_MS or measurement not in measurements or tags.get("segment", "all") != "all":
            skipped.add(measurement if timestamp == AS_OF_MS else f"{measurement} (other windows)")
            continue
        key = "|".join([measurement] + [f"{t}={tags[t]}" for t in SERIES_TAGS if t in tags])
        if key in series:
            raise SystemExit(f"DISAGREEMENT: modelwatch wrote {key} twice at T")
        series[key] = fields
    return series, skipped


def tolerance(field, key, ks_bounds):
    if field in EXACT:
        return 0.0, False
    if field == "ks":
        name = key.rsplit("|feature=", 1)[-1] if "|feature=" in key else {
            "modelwatch_output": "score", "modelwatch_label": "(label)"}[key]
        return ks_bounds.get(name, 1e-9), False
    return 1e-9, field in RELATIVE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", choices=sorted(COMPARED), required=True)
    parser.add_argument("--modelwatch", required=True, help="line protocol written by modelwatch run")
    parser.add_argument("--reference", required=True, help="JSON written by tasks_reference.py")
    parser.add_argument("--profile", required=True, help="the reference profile modelwatch used (for the KS bound)")
    args = parser.parse_args()
    mine, skipped = modelwatch_series(parse_line_protocol(args.modelwatch), set(COMPARED[args.task]))
    with open(args.reference) as f:
        ref = json.load(f)["series"]
    with open(args.profile) as f:
        profile = json.load(f)
    ks_bounds = {}
    for name, entry in list(profile["features"].items()) + [("score", profile["score"])]:
        if entry.get("cdf", {}).get("kind") == "quantiles":
            ks_bounds[name] = 1 / 20_000 + 1 / entry["count"]

    groups, failures = {}, []
    for key in sorted(set(mine) - set(ref)):
        failures.append(f"{key}: written by modelwatch, not in the reference")
    for key, expected in ref.items():
        actual = mine.get(key)
        if actual is None:
            failures.append(f"{key}: in the reference, absent from modelwatch's output")
            continue
        group = key.split("|")[0]
        if group == "modelwatch_feature":
            group += " (numeric)" if "f_num" in key else " (categorical)"
        if "missing_count" in expected:
            actual = dict({f: v for f, v in actual.items() if f not in MISSING_KINDS},
                          missing_count=sum(actual.get(kind, 0) for kind in MISSING_KINDS))
        for field in sorted(set(actual) - set(expected) - NOT_COMPUTED):
            failures.append(f"{key}.{field}: written by modelwatch ({actual[field]!r}), not computed by the reference")
        for field, want in expected.items():
            got = actual.get(field)
            if want is None or got is None:
                if want is not None or got is not None:
                    failures.append(f"{key}.{field}: modelwatch {got!r} vs reference {want!r} (one is undefined)")
                continue
            tol, relative = tolerance(field, key, ks_bounds)
            if isinstance(want, (str, bool)) or isinstance(got, (str, bool)):
                diff = 0.0 if want == got and type(want) is type(got) else float("inf")
            else:
                diff = abs(float(got) - float(want))
            limit = tol * max(1.0, abs(float(want))) if relative else tol
            g = groups.setdefault(group, {"fields": 0, "max_abs": 0.0, "worst": ""})
            g["fields"] += 1
            if diff > g["max_abs"]:
                g["max_abs"], g["worst"] = diff, f"{key.split('|', 1)[-1]}.{field}"
            if diff > limit:
                failures.append(f"{key}.{field}: modelwatch {got!r} vs reference {want!r} (|diff| {diff:.3g} > {limit:.3g})")

    print(f"{'agreement (' + args.task + ')':<46} {'fields':>6} {'max |diff|':>11}  worst")
    for group in sorted(groups):
        g = groups[group]
        print(f"{group:<46} {g['fields']:>6} {g['max_abs']:>11.3g}  {g['worst']}")
    print("not compared (run bookkeeping, or the empty final window): " + ", ".join(sorted(skipped)))
    expected_groups = {g for g in COMPARED[args.task] if g != "modelwatch_feature"}
    expected_groups |= {"modelwatch_feature (numeric)", "modelwatch_feature (categorical)"}
    for group in sorted(expected_groups - set(groups)):
        failures.append(f"{group}: nothing compared")
    if failures:
        print(f"DISAGREEMENT ({len(failures)}):")
        for failure in failures[:40]:
            print("  " + failure)
        sys.exit(1)
    print(f"agreement: OK ({sum(g['fields'] for g in groups.values())} values within tolerance)")


if __name__ == "__main__":
    main()
