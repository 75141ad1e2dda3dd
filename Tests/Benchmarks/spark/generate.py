#!/usr/bin/env python3
"""The Spark push-down benchmark's data, written by Spark itself (pyspark, local mode, seeded):

  scores.parquet/, labels.parquet/   the rows Spark push-down reads (timestamps stored as INT64 micros)
  scores_csv/part-*.csv, labels_csv/part-*.csv   the same rows as CSV for modelwatch's exact file path

N predictions uniform in [T - 2d, T), T = 2026-11-02T00:00Z: window 1d, maturity 1d, so one run evaluates the
final window [T - 2d, T - 1d), the provisional window and the input window [T - 1d, T). 90% of the predictions
are labelled one hour later. Scores have 4 decimals; 4 numeric features (one with 2% NULL), 2 categorical.
"""
import argparse
from pyspark.sql import SparkSession, functions as F

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, required=True)
parser.add_argument("--out", required=True)
args = parser.parse_args()

spark = (SparkSession.builder.master("local[2]").appName("modelwatch-bench-data")
         .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
         .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
         .config("spark.driver.memory", "3g").getOrCreate())
T_MS = 1793577600000
DAY_MS = 86_400_000
regions = F.array(*[F.lit(r) for r in ["us east", "us west", "eu central", "eu west", "apac", "latam", "me gulf", "africa"]])
rows = (spark.range(args.rows, numPartitions=8)
        .withColumn("latent", F.randn(11))
        .withColumn("prediction_id", F.format_string("p%011d", F.col("id")))
        .withColumn("prediction_time", F.timestamp_millis((F.lit(T_MS - 2 * DAY_MS) + F.floor(F.rand(12) * 2 * DAY_MS)).cast("long")))
        .withColumn("model_version", F.when(F.rand(13) < 0.8, F.lit("v1")).otherwise(F.lit("v2")))
        .withColumn("score", F.round(1 / (1 + F.exp(-(F.col("latent") + F.randn(14) - 1.5))), 4))
        .withColumn("region", regions[F.floor(F.pow(F.rand(15), 2) * 8).cast("int")])
        .withColumn("f_num_00", F.round(F.randn(16) * 2 + F.col("latent"), 4))
        .withColumn("f_num_01", F.round(F.exp(F.randn(17)), 3))
        .withColumn("f_num_02", F.when(F.rand(18) < 0.02, F.lit(None)).otherwise(F.round(F.rand(19) * 100, 2)))
        .withColumn("f_num_03", F.floor(F.rand(20) * 10).cast("double"))
        .withColumn("f_cat_00", F.element_at(F.array(F.lit("web"), F.lit("ios"), F.lit("android")), (F.floor(F.rand(21) * 3) + 1).cast("int")))
        .withColumn("f_cat_01", F.format_string("cat_%02d", F.floor(F.pow(F.rand(22), 3) * 50).cast("int")))
        .withColumn("y", (F.rand(23) < 1 / (1 + F.exp(-(F.col("latent") - 1.5)))).cast("int"))
        .withColumn("labelled", F.rand(24) < 0.9))
# Generated once (the random columns are computed in one pass), then split.
rows.drop("latent").write.mode("overwrite").parquet(f"{args.out}/all.parquet")
rows = spark.read.parquet(f"{args.out}/all.parquet")
scores = rows.select("prediction_id", "prediction_time", "model_version", "score", "region",
                     "f_num_00", "f_num_01", "f_num_02", "f_num_03", "f_cat_00", "f_cat_01")
labels = rows.where("labelled").select("prediction_id", F.col("y").alias("label"),
                                       (F.col("prediction_time") + F.expr("INTERVAL 1 HOUR")).alias("label_time"))
scores.write.mode("overwrite").parquet(f"{args.out}/scores.parquet")
labels.write.mode("overwrite").parquet(f"{args.out}/labels.parquet")
csv = {"header": "true", "timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "escape": '"'}
spark.read.parquet(f"{args.out}/scores.parquet").write.mode("overwrite").options(**csv).csv(f"{args.out}/scores_csv")
spark.read.parquet(f"{args.out}/labels.parquet").write.mode("overwrite").options(**csv).csv(f"{args.out}/labels_csv")
import shutil
shutil.rmtree(f"{args.out}/all.parquet")
spark.stop()
