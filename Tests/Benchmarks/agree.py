#!/usr/bin/env python3
"""Numeric agreement between modelwatch's line protocol and the pandas/scikit-learn reference (reference.py).

Compares every field the two have in common for the series of the benchmark run (the provisional performance
window and the input window, both timestamped T; the all-rows slice and, when the reference was computed with
--segment, every segment slice), prints the largest absolute difference per group, and exits 1
when a difference is beyond its tolerance or when an expected group has nothing to compare.

Tolerances (absolute unless said otherwise):
  counts, k, selected, bin edges, score cut-off, category names ......... exact
  closed-form metrics (AUC, DeLong SE/CI, AP, log loss, Brier, O/E, ECE, MCE, rates, precision, recall,
  F1, shares, bin means, PSI, JS) .............................................. 1e-9
  feature mean / std / min / max / quantiles ................ 1e-9 relative to max(1, |value|)
  KS where the reference has <= 10,000 distinct values (exact CDF) ............. 1e-9
  KS where it has more (quantile CDF, docs/drift.md) .......... 1/20,000 + 1/n_reference
  recalibration (iterative fits: CITL, intercept, slope) ......................... 1e-6
"""
import argparse
import json
import sys

AS_OF_MS = 1793577600000
EXACT = {"n", "n_pos", "n_neg", "n_scored", "tp", "fp", "tn", "fn", "k", "selected", "count", "null_count",
         "distinct_count", "score_cutoff", "lower", "upper", "category"}
ITERATIVE = {"calibration_in_the_large", "calibration_intercept", "calibration_slope"}
RELATIVE = {"mean", "std", "min", "max", "p01", "p05", "p25", "p50", "p75", "p95", "p99"}
SERIES_TAGS = ("segment", "segment_value", "threshold", "k_percent", "bin", "feature", "rank")


def split_unescaped(text, sep):
    """Splits on `sep` outside double quotes and not escaped with a backslash."""
    parts, current, quoted, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        if c == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def field_value(text):
    if text.startswith('"'):
        return unescape(text[1:-1])
    if text.endswith("i") and text[:-1].lstrip("-").isdigit():
        return int(text[:-1])
    if text in ("true", "false"):
        return text == "true"
    return float(text)


def parse_line_protocol(path):
    points = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            head, fields, timestamp = split_unescaped(line, " ")
            key = split_unescaped(head, ",")
            tags = dict(tuple(unescape(p) for p in split_unescaped(t, "=")) for t in key[1:])
            values = {}
            for item in split_unescaped(fields, ","):
                name, value = item.split("=", 1)
                values[unescape(name)] = field_value(value)
            points.append((unescape(key[0]), tags, values, int(timestamp)))
    return points


def modelwatch_series(points):
    series = {}
    for measurement, tags, fields, timestamp in points:
        if timestamp != AS_OF_MS:
            continue
        if tags.get("segment", "all") == "all":
            tags = {t: v for t, v in tags.items() if t not in ("segment", "segment_value")}
        key = "|".join([measurement] + [f"{t}={tags[t]}" for t in SERIES_TAGS if t in tags])
        series[key] = fields
    return series


def tolerance(field, key, ks_bounds):
    if field in EXACT:
        return 0.0, "exact"
    if field in ITERATIVE:
        return 1e-6, "abs"
    if field in RELATIVE and (key.startswith("modelwatch_feature|") or key.split("|")[0] == "modelwatch_output"):
        return 1e-9, "rel"
    if field == "ks":
        name = "score" if key.startswith("modelwatch_output") else key.rsplit("|feature=", 1)[-1]
        return ks_bounds.get(name, 1e-9), "abs"
    return 1e-9, "abs"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelwatch", required=True, help="line protocol written by modelwatch run")
    parser.add_argument("--reference", required=True, help="JSON written by reference.py")
    parser.add_argument("--profile", required=True, help="the reference profile modelwatch used (for the KS bound)")
    args = parser.parse_args()
    mine = modelwatch_series(parse_line_protocol(args.modelwatch))
    with open(args.reference) as f:
        ref = json.load(f)["series"]
    with open(args.profile) as f:
        profile = json.load(f)
    ks_bounds = {}
    for name, entry in list(profile["features"].items()) + [("score", profile["score"])]:
        if entry.get("cdf", {}).get("kind") == "quantiles":
            ks_bounds[name] = 1 / 20_000 + 1 / entry["count"]

    groups = {}
    failures = []
    missing = []
    for key, expected in ref.items():
        actual = mine.get(key)
        if actual is None:
            missing.append(key)
            continue
        group = key.split("|")[0]
        if group == "modelwatch_feature":
            group += " (numeric)" if "f_num" in key else " (categorical)"
        segmented = "|segment=" in key
        if segmented:
            group += " · segments"
        for field, want in expected.items():
            if field not in actual:
                missing.append(f"{key}.{field}")
                continue
            got = actual[field]
            tol, kind = tolerance(field, key, ks_bounds)
            if isinstance(want, str) or isinstance(got, str):
                diff = 0.0 if want == got else float("inf")
            else:
                diff = abs(float(got) - float(want))
            limit = tol * max(1.0, abs(float(want))) if kind == "rel" and not isinstance(want, str) else tol
            g = groups.setdefault(group, {"fields": 0, "max_abs": 0.0, "worst": ""})
            g["fields"] += 1
            if diff > g["max_abs"]:
                g["max_abs"], g["worst"] = diff, f"{key.split('|', 1)[-1]}.{field}"
            if diff > limit:
                failures.append(f"{key}.{field}: modelwatch {got!r} vs reference {want!r} (|diff| {diff:.3g} > {limit:.3g})")

    print(f"{'agreement':<46} {'fields':>6} {'max |diff|':>11}  worst")
    for group in sorted(groups):
        g = groups[group]
        print(f"{group:<46} {g['fields']:>6} {g['max_abs']:>11.3g}  {g['worst']}")
    expected_groups = {"modelwatch_performance", "modelwatch_threshold", "modelwatch_topk", "modelwatch_calibration_bin",
                       "modelwatch_output", "modelwatch_output_threshold", "modelwatch_feature (numeric)",
                       "modelwatch_feature (categorical)", "modelwatch_feature_category"}
    if any("|segment=" in key for key in ref):
        expected_groups |= {group + " · segments" for group in expected_groups}
    for group in sorted(expected_groups - set(groups)):
        failures.append(f"{group}: nothing compared")
    for item in missing:
        failures.append(f"{item}: in the reference, absent from modelwatch's output")
    if failures:
        print(f"DISAGREEMENT ({len(failures)}):")
        for failure in failures[:40]:
            print("  " + failure)
        sys.exit(1)
    print(f"agreement: OK ({sum(g['fields'] for g in groups.values())} values within tolerance)")


if __name__ == "__main__":
    main()
