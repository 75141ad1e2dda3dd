#!/usr/bin/env python3
"""Writes golden.json, the expected values for Tests/DriftMetricsTests.

Run from anywhere: `python3 generate_golden.py` (needs numpy and scipy; the versions used are recorded
in golden.json and quoted by the Swift tests). The Swift tests never run Python.

Where each expected value comes from:
* quantiles, p01 … p99, decile edges: np.quantile(..., method="linear") (numpy's default, type 7).
* mean: statistics.mean (exact rational arithmetic, correctly rounded); std: statistics.stdev (exact,
  ddof = 1, correctly rounded). numpy's np.std(ddof=1) is checked against it here where numpy does not
  overflow/underflow (it returns inf for 1e300 magnitudes and 0 for 1e-300 magnitudes, so it cannot be the
  reference there).
* KS D: scipy.stats.ks_2samp(ref, cur).statistic (`ksExact`), and `ks` = the same snapped to h / lcm(n1, n2)
  as ks_2samp itself does in its exact mode (identical for samples of at most 10 000 values). For references with more than 10 000 distinct values the
  Swift profile stores 10 001 quantiles instead of the data; `ks` is then a numpy re-implementation of that
  documented estimator and `ksExact` is scipy's exact statistic on the full data.
* JS: scipy.spatial.distance.jensenshannon(ref_counts, cur_counts, base=2) over the value bins + missing bin
  (categorical: the 20 most frequent stored categories in code-point order + one other bin + missing bin).
* PSI: a numpy re-implementation of the documented rule: bin = np.searchsorted(edges, x, side="left")
  (right-closed bins, open outer ends), shares = counts / (present + missing) over value bins + missing bin,
  each share floored at 1e-4 with no renormalisation, natural log, summed with math.fsum.
* SHA-256: hashlib.

Large cases are not stored: both sides regenerate them from splitmix64 (Double = (x >> 11) * 2^-53) using
only exactly-rounded IEEE operations, so Python and Swift produce identical values.
"""
import hashlib
import json
import math
import pathlib
import statistics
import sys

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

MASK = (1 << 64) - 1
FLOOR = 1e-4
EXACT_DISTINCT_LIMIT = 10_000
M = 10_000
SUMMARY_Q = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
SUMMARY_NAMES = ["p01", "p05", "p25", "p50", "p75", "p95", "p99"]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def double(self):
        return float(self.next() >> 11) * 2.0 ** -53


def generate(spec):
    """Present values and missing count; mirrors `Generated.make` in the Swift tests."""
    rng = SplitMix64(spec["seed"])
    values, missing = [], 0
    for _ in range(spec["n"]):
        if rng.double() < spec["missingRate"]:
            missing += 1
            continue
        if spec["kind"] == "sum4":
            u1, u2, u3, u4 = rng.double(), rng.double(), rng.double(), rng.double()
            values.append((((u1 + u2) + u3) + u4) * spec["scale"] + spec["offset"])
        elif spec["kind"] == "grid":
            values.append(float(math.floor(rng.double() * spec["levels"])) * spec["scale"] + spec["offset"])
        else:
            raise ValueError(spec["kind"])
    return values, missing


def summary(values):
    if not values:
        return None
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    std = statistics.stdev(values) if n >= 2 else None
    if std is not None:
        with np.errstate(over="ignore", under="ignore"):  # numpy overflows at 1e300: that is the point
            numpy_std = float(np.std(x, ddof=1))
        if math.isfinite(numpy_std) and numpy_std > 1e-290 and std > 0:
            assert abs(numpy_std - std) <= 1e-12 * std, (numpy_std, std)
    out = {"count": n, "mean": float(statistics.mean(values)), "std": std,
           "min": float(x[0]), "max": float(x[-1]), "zeroRate": float(np.count_nonzero(x == 0)) / n}
    for name, q in zip(SUMMARY_NAMES, np.quantile(x, SUMMARY_Q)):
        out[name] = float(q)
    return out


def edges_of(ref):
    if not ref:
        return []
    edges = []
    for e in np.quantile(np.asarray(ref, dtype=np.float64), np.arange(1, 10) / 10):
        if not edges or edges[-1] != float(e):
            edges.append(float(e))
    return edges


def bin_counts(values, edges):
    bins = np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(values, dtype=np.float64), side="left")
    return [int(c) for c in np.bincount(bins, minlength=len(edges) + 1)] if values else [0] * (len(edges) + 1)


def psi(ref_counts, cur_counts):
    rt, ct = sum(ref_counts), sum(cur_counts)
    if rt == 0 or ct == 0:
        return None
    e = np.maximum(np.asarray(ref_counts, dtype=np.float64) / rt, FLOOR)
    a = np.maximum(np.asarray(cur_counts, dtype=np.float64) / ct, FLOOR)
    return math.fsum((a - e) * np.log(a / e))


def js(ref_counts, cur_counts):
    if sum(ref_counts) == 0 or sum(cur_counts) == 0:
        return None
    return float(jensenshannon(np.asarray(ref_counts, float), np.asarray(cur_counts, float), base=2))


def snapped(d, n1, n2):
    """D as the exact fraction h / lcm(n1, n2), the way ks_2samp reports it in its exact mode (n <= 10 000);
    above that size scipy returns the unsnapped float, which can differ in the last bits."""
    lcm = n1 // math.gcd(n1, n2) * n2
    return int(np.round(d * lcm)) * 1.0 / lcm


def ks_estimate(ref, cur):
    """The profile's quantile-form KS estimator (see ReferenceCDF.swift)."""
    q = np.quantile(np.sort(np.asarray(ref, dtype=np.float64)), np.arange(M + 1) / M)
    points, cdf = [], []
    for i, v in enumerate(q):
        f = 1.0 if i == M else (i + 0.5) / M
        if points and points[-1] == v:
            cdf[-1] = f
        else:
            points.append(float(v))
            cdf.append(f)
    points, cdf = np.asarray(points), np.asarray(cdf)
    cur = np.sort(np.asarray(cur, dtype=np.float64))
    allv = np.concatenate([points, cur])
    idx = np.searchsorted(points, allv, side="right")
    fr = np.where(idx > 0, cdf[np.maximum(idx - 1, 0)], 0.0)
    fc = np.searchsorted(cur, allv, side="right") / len(cur)
    return float(np.max(np.abs(fr - fc)))


def numeric_case(name, ref, ref_missing, cur, cur_missing, store_data=True, spec=None):
    edges = edges_of(ref)
    rb, cb = bin_counts(ref, edges), bin_counts(cur, edges)
    distinct = len(set(ref))
    exact = distinct <= EXACT_DISTINCT_LIMIT
    expected = {
        "referenceSummary": summary(ref), "currentSummary": summary(cur),
        "edges": edges, "referenceBinCounts": rb, "currentBinCounts": cb,
        "psi": psi(rb + [ref_missing], cb + [cur_missing]),
        "js": js(rb + [ref_missing], cb + [cur_missing]),
        "emptyBins": sum(1 for c in cb if c == 0),
        "cdfKind": "exact" if exact else "quantiles",
        "ks": None, "ksExact": None, "ksErrorBound": None,
    }
    if ref and cur:
        exact_ks = float(ks_2samp(ref, cur).statistic)
        expected["ksExact"] = exact_ks
        expected["ks"] = snapped(exact_ks, len(ref), len(cur)) if exact else ks_estimate(ref, cur)
        expected["ksErrorBound"] = 0.0 if exact else 0.5 / M + 1 / len(ref)
        assert abs(expected["ks"] - exact_ks) <= expected["ksErrorBound"] + 1e-12
    case = {"name": name, "expected": expected}
    if store_data:
        case["reference"] = {"values": ref, "missing": ref_missing}
        case["current"] = {"values": cur, "missing": cur_missing}
    else:
        case["referenceSpec"], case["currentSpec"] = spec
    return case


def code_point_key(s):
    return s  # Python compares str by code point, the same order as UTF-8 bytes


def ranked(counts):
    return sorted(((k, v) for k, v in counts.items() if v > 0), key=lambda kv: (-kv[1], code_point_key(kv[0])))


DRIFT_CATEGORIES = 20  # CategoricalDrift.defaultBinnedCategories (config key drift_category_bins)


def categorical_case(name, ref_counts, ref_missing, cur_counts, cur_missing, max_categories, top_n,
                     drift_bins=DRIFT_CATEGORIES):
    r = ranked(ref_counts)
    stored = dict(r[:max_categories])
    other = sum(v for _, v in r[max_categories:])
    ref_present = sum(v for _, v in r)
    # Drift bins: the drift_bins most frequent stored categories, code-point order, then one other bin
    # holding every other present value on each side, then the missing bin.
    order = sorted(c for c, _ in r[:min(max_categories, drift_bins)])
    cur_ranked = ranked(cur_counts)
    cur_present = sum(v for _, v in cur_ranked)
    cur_bins = [cur_counts.get(c, 0) for c in order]
    unseen = cur_present - sum(cur_counts.get(c, 0) for c in stored)
    ref_bins = [stored[c] for c in order]
    ref_vec = ref_bins + [ref_present - sum(ref_bins), ref_missing]
    cur_vec = cur_bins + [cur_present - sum(cur_bins), cur_missing]
    top = [{"category": c, "count": v, "share": v / cur_present,
            "referenceShare": (stored[c] / ref_present) if c in stored else 0.0}
           for c, v in cur_ranked[:top_n]]
    return {
        "name": name, "maxCategories": max_categories, "topN": top_n, "driftBins": drift_bins,
        "reference": {"counts": ref_counts, "missing": ref_missing},
        "current": {"counts": cur_counts, "missing": cur_missing},
        "expected": {
            "storedCategories": stored, "otherCount": other, "referenceCount": ref_present,
            "psi": psi(ref_vec, cur_vec), "js": js(ref_vec, cur_vec),
            "emptyBins": sum(1 for c in cur_bins if c == 0),
            "distinctCount": len(cur_ranked), "top": top,
            "unseenRate": (unseen / cur_present) if cur_present else None,
        },
    }


def high_cardinality_cases(rng):
    """1,000 Zipf-like reference categories and a 960-row window drawn from the same distribution: a healthy
    window whose PSI is sampling noise only (0.031; one bin per stored category would give 0.87), and the same
    counts over 100 category bins (drift_category_bins: 100)."""
    weights = 1.0 / np.arange(1, 1001) ** 0.8
    names = [f"m{i}" for i in range(1, 1001)]
    ref = rng.multinomial(20000, weights / weights.sum())
    cur = rng.multinomial(960, weights / weights.sum())
    ref_counts = {n: int(v) for n, v in zip(names, ref) if v > 0}
    cur_counts = {n: int(v) for n, v in zip(names, cur) if v > 0}
    return [categorical_case("high_cardinality_healthy_window", ref_counts, 40, cur_counts, 2, 1000, 10),
            categorical_case("high_cardinality_100_bins", ref_counts, 40, cur_counts, 2, 1000, 10, drift_bins=100)]


def main():
    rng = np.random.default_rng(20261127)
    normal = [float(v) for v in np.round(rng.normal(10, 3, 200), 6)]
    shifted = [float(v) for v in np.round(rng.normal(11, 3.5, 150), 6)]
    numeric = [
        numeric_case("normal_shift", normal, 12, shifted, 30),
        numeric_case("identical", normal, 12, normal, 12),
        numeric_case("negative", [-v for v in normal], 0, [-v for v in shifted], 0),
        numeric_case("constant", [5.0] * 20, 2, [5.0] * 7 + [6.0] * 3, 0),
        numeric_case("single_row", [3.5], 0, [2.0], 1),
        numeric_case("all_missing_current", normal, 12, [], 40),
        numeric_case("all_missing_reference", [], 25, shifted, 5),
        numeric_case("huge_magnitudes", [v * 1e299 for v in normal], 0, [v * 1e299 for v in shifted], 3),
        numeric_case("tiny_magnitudes", [v * 1e-301 for v in normal], 0, [v * 1e-301 for v in shifted], 0),
        numeric_case("mixed_sign_huge", [1e300, -1e300, 3e300, -2.5e300, 0.0], 0, [1e300, 2e300], 0),
        numeric_case("heavy_ties", [0.0] * 60 + [1.0] * 25 + [2.0] * 10 + [7.5] * 5, 0,
                     [0.0] * 30 + [1.0] * 30 + [2.0] * 30 + [9.0] * 10, 10),
        numeric_case("values_on_edges", [float(i) for i in range(101)], 0,
                     [0.0, 10.0, 10.0, 20.0, 50.0, 90.0, 90.0, 100.0, 100.5, -1.0], 0),
        numeric_case("two_values", [0.0, 1.0], 0, [0.5, 0.5, 1.0], 0),
    ]

    large_specs = [
        ("large_continuous",
         {"kind": "sum4", "seed": 20261127, "n": 50_000, "missingRate": 0.03, "scale": 2.5, "offset": -5.0},
         {"kind": "sum4", "seed": 7, "n": 40_000, "missingRate": 0.05, "scale": 2.75, "offset": -4.5}),
        ("large_grid_ties",
         {"kind": "grid", "seed": 42, "n": 50_000, "missingRate": 0.0, "levels": 3000, "scale": 0.125, "offset": -100.0},
         {"kind": "grid", "seed": 43, "n": 30_000, "missingRate": 0.01, "levels": 3200, "scale": 0.125, "offset": -110.0}),
    ]
    generated = []
    for name, rs, cs in large_specs:
        ref, ref_missing = generate(rs)
        cur, cur_missing = generate(cs)
        generated.append(numeric_case(name, ref, ref_missing, cur, cur_missing, store_data=False, spec=(rs, cs)))

    categorical = [
        categorical_case("unseen_categories", {"a": 50, "b": 30, "c": 15, "d": 5}, 10,
                         {"a": 40, "b": 20, "e": 25, "f": 5}, 3, 1000, 10),
        categorical_case("identical", {"a": 50, "b": 30, "c": 15, "d": 5}, 10,
                         {"a": 50, "b": 30, "c": 15, "d": 5}, 10, 1000, 10),
        categorical_case("capped_with_other", {f"k{i:02d}": 100 - 5 * i for i in range(15)}, 0,
                         {f"k{i:02d}": 10 + i for i in range(0, 15, 2)} | {"new": 4}, 2, 5, 3),
        categorical_case("ties_in_ranking", {"x": 5, "b": 5, "a": 5, "zz": 9, "é": 5}, 1,
                         {"x": 3, "b": 3, "a": 3, "zz": 3, "é": 3, "q": 1}, 0, 3, 4),
        categorical_case("all_missing_current", {"a": 7, "b": 3}, 0, {}, 7, 1000, 10),
        categorical_case("all_missing_reference", {}, 9, {"a": 2}, 1, 1000, 10),
        # More stored categories than drift bins: 25 stored, the 20 most frequent binned, the rest in other.
        categorical_case("more_categories_than_bins", {f"c{i:02d}": 60 - 2 * i for i in range(30)}, 3,
                         {f"c{i:02d}": 1 + (i * 7) % 5 for i in range(0, 30, 3)} | {"new": 2}, 1, 25, 5),
        # drift_category_bins: 5 on the same counts: c00…c04 binned, everything else in other.
        categorical_case("five_drift_bins", {f"c{i:02d}": 60 - 2 * i for i in range(30)}, 3,
                         {f"c{i:02d}": 1 + (i * 7) % 5 for i in range(0, 30, 3)} | {"new": 2}, 1, 25, 5, drift_bins=5),
        # One category bin: `a` against every other category (and missing), so a swap between b, c and d is invisible.
        categorical_case("one_drift_bin", {"a": 50, "b": 30, "c": 15, "d": 5}, 10,
                         {"a": 5, "b": 15, "c": 30, "d": 60}, 10, 1000, 10, drift_bins=1),
        *high_cardinality_cases(rng),
    ]

    quantiles = [
        {"values": [1.0, 2.0, 3.0, 4.0, 10.0], "probabilities": [0.1, 0.5, 0.9]},
        {"values": [-3.0, -1.0, 0.0, 0.0, 2.0, 7.0, 7.0, 7.0], "probabilities": [0.0, 0.01, 1 / 3, 0.5, 0.99, 1.0]},
        {"values": [42.0], "probabilities": [0.0, 0.3, 1.0]},
        {"values": [1e-300, 2e-300, 1e300], "probabilities": [0.25, 0.6, 0.75]},
    ]
    for case in quantiles:
        case["expected"] = [float(v) for v in np.quantile(np.asarray(case["values"]), case["probabilities"])]

    sha_inputs = ["", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  "a" * 55, "a" * 56, "a" * 63, "a" * 64, "a" * 65, "a" * 1000, "héllo wörld ✓"]
    sha256 = [{"input": s, "hex": hashlib.sha256(s.encode()).hexdigest()} for s in sha_inputs]

    golden = {
        "generator": "Tests/DriftMetricsTests/Fixtures/generate_golden.py",
        "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
        "quantiles": quantiles, "numeric": numeric, "generated": generated,
        "categorical": categorical, "sha256": sha256,
    }
    out = pathlib.Path(__file__).with_name("golden.json")
    out.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
