#!/usr/bin/env python3
"""Deterministic benchmark data for modelwatch (numpy, seeded).

Writes into OUT:
  scores.csv     N predictions: prediction_id, prediction_time, model_version, score, region,
                 f_num_00..f_num_19 (mixed distributions), f_cat_00..f_cat_04; ~2% empty cells
  labels.csv     90% of the predictions labelled, in shuffled order: prediction_id, label, label_time
  reference.csv  200k rows with the scores.csv layout, one day a month earlier, slightly shifted
  modelwatch.yaml           the job without segments
  modelwatch-segments.yaml  the same job with one segment column, `region` (8 values)
Same arguments, same bytes (numpy PCG64 streams seeded from --seed and the chunk number).

Time layout (see docs/benchmark.md): every prediction is in [T - 1d, T) with T = 2026-11-02T00:00Z, every
label time is before T; the config uses window 1d, maturity 1d and restate_provisional: true, so one run
evaluates every row twice over: in the input window [T - 1d, T) (feature statistics and drift) and in the
provisional performance window [T - 1d, T) (every performance metric). The final window [T - 2d, T - 1d)
is empty.
"""
import argparse
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

AS_OF_MS = 1793577600000           # 2026-11-02T00:00:00Z
DAY_MS = 86_400_000
REF_START_MS = AS_OF_MS - 32 * DAY_MS  # 2026-10-01T00:00:00Z
NUM = 20
CAT = 5
EMPTY = 0.02
CHUNK = 500_000
REGIONS = np.array(["us east", "us west", "eu central", "eu west", "apac", "latam", 'me "gulf"', "africa"])
REGION_P = np.array([0.3, 0.2, 0.15, 0.12, 0.1, 0.06, 0.04, 0.03])
CAT_CARD = [3, 12, 50, 500, 5000]
CAT_PREFIX = ["", "state_", "cat_", "m", "merchant_"]
CHANNELS = np.array(["web", "ios", "android"])


def fmt(values: np.ndarray, decimals: int) -> pa.Array:
    """Rounded decimal text (shortest round-trip form of the rounded double)."""
    if decimals == 0:
        return pc.cast(pa.array(np.rint(values).astype(np.int64)), pa.string())
    return pc.cast(pa.array(np.round(values, decimals)), pa.string())


def with_empty(rng, text: pa.Array, n: int, rate: float = EMPTY) -> pa.Array:
    mask = rng.random(n) < rate
    return pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), text)


def numeric_features(rng, n: int, shift: float):
    """20 columns, mixed distributions; `shift` moves a few of them (reference vs current)."""
    x = []
    x.append(fmt(rng.normal(shift, 1, n), 4))                         # 00 normal
    x.append(fmt(rng.lognormal(3 + shift * 0.2, 1, n), 2))            # 01 amount, lognormal
    x.append(fmt(rng.poisson(3, n), 0))                               # 02 counts
    x.append(fmt((rng.random(n) < 0.3 + shift * 0.05).astype(float), 0))  # 03 binary 0/1
    x.append(fmt(rng.uniform(0, 100, n), 3))                          # 04 uniform
    x.append(fmt(rng.exponential(50, n), 1))                          # 05 exponential
    x.append(fmt(rng.standard_t(3, n), 4))                            # 06 heavy tails
    x.append(fmt(rng.normal(50, 10, n), 2))                           # 07 normal, offset
    z = rng.random(n) < 0.6
    x.append(fmt(np.where(z, 0.0, rng.lognormal(1, 1, n)), 2))        # 08 zero-inflated
    x.append(fmt(rng.beta(2, 5, n), 4))                               # 09 beta
    x.append(fmt(rng.integers(18, 91, n), 0))                         # 10 age
    x.append(fmt(rng.lognormal(9, 1.5, n), 1))                        # 11 large magnitudes
    x.append(fmt(-rng.exponential(2, n), 3))                          # 12 negative skew
    x.append(fmt(rng.normal(0, 1e-3, n), 6))                          # 13 small magnitudes
    x.append(fmt(rng.poisson(0.2 + shift * 0.1, n), 0))               # 14 mostly zeros
    x.append(fmt(rng.gamma(2, 2, n), 3))                              # 15 gamma
    b = rng.random(n) < 0.4
    x.append(fmt(np.where(b, rng.normal(-2, 0.5, n), rng.normal(3, 1, n)), 3))  # 16 bimodal
    x.append(fmt(rng.integers(0, 10_000, n), 0))                      # 17 uniform integers
    x.append(fmt(rng.normal(1000 + shift * 30, 300, n), 0))           # 18 integers around 1000
    sci = rng.lognormal(-10, 2, n)                                    # 19 exponent notation
    x.append(_sci(sci))
    return [with_empty(rng, col, n) for col in x]


def _sci(values: np.ndarray) -> pa.Array:
    """`1.2345e-05`-style text, vectorised: mantissa and exponent formatted separately."""
    exponent = np.floor(np.log10(values)).astype(np.int64)
    mantissa = np.round(values / np.power(10.0, exponent), 4)
    fix = mantissa >= 10
    mantissa = np.where(fix, np.round(mantissa / 10, 4), mantissa)
    exponent = exponent + fix
    m = pc.cast(pa.array(mantissa), pa.string())
    sign = np.where(exponent < 0, "e-", "e+")
    e = pc.utf8_lpad(pc.cast(pa.array(np.abs(exponent)), pa.string()), 2, "0")
    return pc.binary_join_element_wise(m, pa.array(sign), e, "")


def categorical_features(rng, n: int, shift: float):
    cols = []
    for j, card in enumerate(CAT_CARD):
        if j == 0:
            p = np.array([0.5 - shift * 0.05, 0.3, 0.2 + shift * 0.05])
            codes = rng.choice(3, size=n, p=p)
            text = pa.array(CHANNELS[codes])
        else:
            # Zipf-like ranks over `card` values
            ranks = np.arange(1, card + 1, dtype=float)
            p = ranks ** -(1.1 if j < 4 else 0.9)
            p /= p.sum()
            codes = rng.choice(card, size=n, p=p)
            width = len(str(card - 1))
            names = np.array([f"{CAT_PREFIX[j]}{i:0{width}d}" for i in range(card)])
            text = pa.array(names[codes])
        cols.append(with_empty(rng, text, n))
    return cols


def timestamps(ms: np.ndarray) -> pa.Array:
    ts = pa.array(ms, pa.timestamp("ms"))
    return pc.binary_join_element_wise(pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S"), "Z", "")


def score_rows(rng, start_index: int, n: int, start_ms: int, span_ms: int, shift: float):
    """Returns (columns dict, true probabilities, prediction times)."""
    times = np.sort(rng.integers(start_ms, start_ms + span_ms, n))
    num = numeric_features(rng, n, shift)
    cat = categorical_features(rng, n, shift)
    # The model: a logistic function of a latent risk plus model noise; rounded to 2 decimals (many ties).
    risk = rng.normal(-1.6, 1.2, n)
    p_true = 1 / (1 + np.exp(-risk))
    score = 1 / (1 + np.exp(-(risk + rng.normal(0, 0.8, n))))
    score_text = fmt(score, 2)
    ids = pc.binary_join_element_wise(
        "p", pc.utf8_lpad(pc.cast(pa.array(np.arange(start_index, start_index + n)), pa.string()), 11, "0"), "")
    regions = pa.array(REGIONS[rng.choice(len(REGIONS), size=n, p=REGION_P)])
    region_text = pc.if_else(pc.equal(regions, 'me "gulf"'), pa.scalar('"me ""gulf"""'), regions)
    columns = [ids, timestamps(times), pa.array(np.full(n, "v1")), score_text, region_text] + num + cat
    return columns, p_true, times


HEADER = (["prediction_id", "prediction_time", "model_version", "score", "region"]
          + [f"f_num_{i:02d}" for i in range(NUM)] + [f"f_cat_{i:02d}" for i in range(CAT)])


def write_rows(handle, columns):
    line = pc.binary_join_element_wise(*columns, ",", null_handling="replace", null_replacement="")
    handle.write(("\n".join(line.to_pylist()) + "\n").encode())


def write_scores(path: str, n: int, seed: int, start_ms: int, span_ms: int, shift: float, labels_path=None):
    label_parts = []
    with open(path + ".tmp", "wb") as out:
        out.write((",".join(HEADER) + "\n").encode())
        for chunk, start in enumerate(range(0, n, CHUNK)):
            m = min(CHUNK, n - start)
            rng = np.random.default_rng([seed, chunk])
            # Each chunk covers its share of the time span, so times stay sorted across chunks.
            c_start = start_ms + span_ms * start // n
            c_span = span_ms * (start + m) // n - span_ms * start // n
            columns, p_true, times = score_rows(rng, start, m, c_start, c_span, shift)
            write_rows(out, columns)
            if labels_path:
                labelled = rng.random(m) < 0.9
                y = (rng.random(m) < p_true).astype(np.int8)
                delay = rng.exponential(3 * 3_600_000, m).astype(np.int64)
                label_ms = np.minimum(times + 1000 + delay, AS_OF_MS - 1)
                idx = np.nonzero(labelled)[0]
                label_parts.append((start + idx, y[idx], label_ms[idx]))
    os.replace(path + ".tmp", path)
    if labels_path:
        ids = np.concatenate([p[0] for p in label_parts])
        y = np.concatenate([p[1] for p in label_parts])
        t = np.concatenate([p[2] for p in label_parts])
        order = np.random.default_rng([seed, 999_999]).permutation(len(ids))  # fully shuffled order
        with open(labels_path + ".tmp", "wb") as out:
            out.write(b"prediction_id,label,label_time\n")
            for s in range(0, len(order), CHUNK):
                o = order[s:s + CHUNK]
                cols = [
                    pc.binary_join_element_wise("p", pc.utf8_lpad(pc.cast(pa.array(ids[o]), pa.string()), 11, "0"), ""),
                    pc.cast(pa.array(y[o].astype(np.int64)), pa.string()),
                    timestamps(t[o]),
                ]
                write_rows(out, cols)
        os.replace(labels_path + ".tmp", labels_path)


CONFIG = """\
# Benchmark config written by Tests/Benchmarks/generate.py. Paths are relative to this file.
# One run evaluates every row: predictions are all in [T-1d, T) = the input window, and, with
# maturity 1d and restatement on, also the provisional performance window [T-1d, T).
run:
  max_bad_rows: 1000
  time_budget: 30m
models:
  - name: bench
    window: 1d
    maturity: 1d
    restate_provisional: true
    thresholds: [0.3, 0.5, 0.7]
    top_k_percent: [1, 5, 10]
    minimum_samples: {{n: 200, positives: 20, negatives: 20}}
    top_categories: 10
    reference_profile: reference-profile.json
    scores:
      path: scores.csv
      columns: {{id: prediction_id, time: prediction_time, score: score, version: model_version}}
    labels:
      path: labels.csv
      columns: {{id: prediction_id, label: label, time: label_time}}
    features:
      numeric: [{numeric}]
      categorical: [{categorical}]
{segments}"""


def write_configs(out: str):
    """modelwatch.yaml (no segments) and modelwatch-segments.yaml (segment column `region`, 8 values)."""
    for name, segments in (("modelwatch.yaml", ""), ("modelwatch-segments.yaml", "    segments: [region]\n")):
        with open(os.path.join(out, name), "w") as f:
            f.write(CONFIG.format(numeric=", ".join(HEADER[5:5 + NUM]), categorical=", ".join(HEADER[5 + NUM:]),
                                  segments=segments))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--reference-rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261102)
    parser.add_argument("--out", required=True)
    parser.add_argument("--configs-only", action="store_true", help="write the two configs only (data already there)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = args.out
    if args.configs_only:
        write_configs(out)
        return
    write_scores(os.path.join(out, "reference.csv"), args.reference_rows, args.seed + 1, REF_START_MS, DAY_MS, 0.0)
    write_scores(os.path.join(out, "scores.csv"), args.rows, args.seed, AS_OF_MS - DAY_MS, DAY_MS, 0.2,
                 labels_path=os.path.join(out, "labels.csv"))
    write_configs(out)
    print(f"wrote {args.rows} predictions, labels and {args.reference_rows} reference rows to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
