#!/usr/bin/env python3
"""DuckDB's bare read + join + aggregates over the benchmark files: the near-limit for native columnar code.

Reads scores.csv and labels.csv, joins the labels observed up to T on prediction_id (left join), and computes
counts, null counts and means per feature (plus labelled rows, positives and the mean score). No ranks,
quantiles, bins or drift: this is a floor, not an equivalent job. DuckDB uses every core (threads = cores).
With --segment COLUMN the same aggregates are computed for all rows and per value of the column (GROUPING SETS),
as modelwatch's segmented configuration slices them.
"""
import argparse
import json
import time

import duckdb


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--segment", help="segment column: also aggregate per value of it")
    args = parser.parse_args()
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    numeric = [f"f_num_{i:02d}" for i in range(20)]
    categorical = [f"f_cat_{i:02d}" for i in range(5)]
    aggregates = ["count(*) AS rows", "count(l.label) AS labelled", "sum(l.label) AS positives", "avg(s.score) AS mean_score"]
    for c in numeric:
        aggregates += [f"count(s.{c}) AS {c}_present", f"avg(s.{c}) AS {c}_mean"]
    for c in categorical:
        aggregates += [f"count(s.{c}) AS {c}_present"]
    t0 = time.perf_counter()
    grouping = f"GROUP BY GROUPING SETS ((), (s.{args.segment}))" if args.segment else ""
    query = f"""
        WITH s AS (SELECT * FROM read_csv('{args.data}/scores.csv', header = true)),
             l AS (SELECT * FROM read_csv('{args.data}/labels.csv', header = true)
                   WHERE label_time <= TIMESTAMPTZ '2026-11-02 00:00:00+00')
        SELECT {", ".join(aggregates)}
        FROM s LEFT JOIN l USING (prediction_id)
        WHERE s.prediction_time >= TIMESTAMPTZ '2026-11-01 00:00:00+00'
          AND s.prediction_time < TIMESTAMPTZ '2026-11-02 00:00:00+00'
        {grouping}
    """
    rows = con.execute(query).fetchall()
    elapsed = time.perf_counter() - t0
    names = [d[0] for d in con.description]
    results = [dict(zip(names, row)) for row in rows]
    # The all-rows group is the one with the most rows.
    total = max(results, key=lambda r: r["rows"])
    print(json.dumps({"stages": {"total": round(elapsed, 3)}, "groups": len(results), "rows": total["rows"],
                      "labelled": total["labelled"]}))


if __name__ == "__main__":
    main()
