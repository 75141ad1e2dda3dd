#!/usr/bin/env python3
"""The Spark push-down benchmark's data, written by numpy and pyarrow in one pass (seeded; no Spark needed):

  scores.parquet/part-*.parquet, labels.parquet/part-*.parquet   the rows Spark push-down reads
                                                                 (timestamps as INT64 micros, UTC)
  scores_csv/part-*.csv, labels_csv/part-*.csv                   the same rows as CSV for modelwatch's exact file path

N predictions uniform in [T - 2d, T), T = 2026-11-02T00:00Z: window 1d, maturity 1d, so one run evaluates the
final window [T - 2d, T - 1d), the provisional window and the input window [T - 1d, T). 90% of the predictions
are labelled one hour later. Scores have 4 decimals; 4 numeric features (one with 2% NULL), 2 categorical.
Chunks of 1M rows, each from its own PCG64 stream (seed, chunk), one Parquet and one CSV file per chunk, so
the data does not depend on memory and Spark reads the chunks in parallel.
"""
import argparse
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--seed", type=int, default=23)
parser.add_argument("--chunk", type=int, default=1_000_000)
args = parser.parse_args()

T_MS = 1793577600000
DAY_MS = 86_400_000
REGIONS = np.array(["us east", "us west", "eu central", "eu west", "apac", "latam", "me gulf", "africa"])
CHANNELS = np.array(["web", "ios", "android"])
CATEGORIES = np.array([f"cat_{i:02d}" for i in range(50)])
for name in ("scores.parquet", "labels.parquet", "scores_csv", "labels_csv"):
    os.makedirs(os.path.join(args.out, name), exist_ok=True)


def iso(ms):
    """Milliseconds since the epoch → ISO 8601 text with a Z, as the file path reads it."""
    return pc.binary_join_element_wise(pc.strftime(pa.array(ms, pa.timestamp("ms")), format="%Y-%m-%dT%H:%M:%S"),
                                       pa.scalar("Z"), "")


def micros(ms):
    return pa.array(ms * 1000, pa.timestamp("us", tz="UTC"))


for chunk, start in enumerate(range(0, args.rows, args.chunk)):
    n = min(args.chunk, args.rows - start)
    rng = np.random.Generator(np.random.PCG64([args.seed, chunk]))
    latent = rng.standard_normal(n)
    ids = pc.binary_join_element_wise(
        pa.scalar("p"), pc.utf8_lpad(pc.cast(pa.array(np.arange(start, start + n)), pa.string()), 11, "0"), "")
    time_ms = T_MS - 2 * DAY_MS + rng.integers(0, 2 * DAY_MS, n)
    f_num_02 = np.round(rng.random(n) * 100, 2)
    scores = {
        "prediction_id": ids,
        "prediction_time": time_ms,
        "model_version": pa.array(np.where(rng.random(n) < 0.8, "v1", "v2")),
        "score": np.round(1 / (1 + np.exp(-(latent + rng.standard_normal(n) - 1.5))), 4),
        "region": pa.array(REGIONS[np.floor(rng.random(n) ** 2 * 8).astype(int)]),
        "f_num_00": np.round(rng.standard_normal(n) * 2 + latent, 4),
        "f_num_01": np.round(np.exp(rng.standard_normal(n)), 3),
        "f_num_02": pa.array(f_num_02, mask=rng.random(n) < 0.02),
        "f_num_03": np.floor(rng.random(n) * 10),
        "f_cat_00": pa.array(CHANNELS[rng.integers(0, 3, n)]),
        "f_cat_01": pa.array(CATEGORIES[np.floor(rng.random(n) ** 3 * 50).astype(int)]),
    }
    y = (rng.random(n) < 1 / (1 + np.exp(-(latent - 1.5)))).astype(np.int32)
    labelled = rng.random(n) < 0.9
    label_ms = time_ms[labelled] + 3_600_000
    part = f"part-{chunk:05d}"
    parquet_scores = pa.table({k: (micros(v) if k == "prediction_time" else v) for k, v in scores.items()})
    parquet_labels = pa.table({"prediction_id": ids.filter(pa.array(labelled)), "label": y[labelled],
                               "label_time": micros(label_ms)})
    pq.write_table(parquet_scores, f"{args.out}/scores.parquet/{part}.parquet")
    pq.write_table(parquet_labels, f"{args.out}/labels.parquet/{part}.parquet")
    csv_scores = parquet_scores.set_column(1, "prediction_time", iso(time_ms))
    csv_labels = parquet_labels.set_column(2, "label_time", iso(label_ms))
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    pacsv.write_csv(csv_scores, f"{args.out}/scores_csv/{part}.csv", options)
    pacsv.write_csv(csv_labels, f"{args.out}/labels_csv/{part}.csv", options)
