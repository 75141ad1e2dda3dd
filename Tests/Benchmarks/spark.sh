#!/usr/bin/env bash
# Spark push-down beside the exact file path on the same rows (docs/benchmark.md#spark-push-down):
# a BENCH_SPARK_ROWS-row table (default 10M) written as Parquet and as CSV for the file path (numpy and pyarrow in
# .venv-bench, one pass, about a minute for 10M rows), a Spark
# Thrift server (HTTP mode, local[2], loopback), and modelwatch's wall time, CPU time and peak RSS for both runs,
# plus the Spark JVM's CPU time during the push-down run. `make bench-spark` builds the release binary first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
ROWS="${BENCH_SPARK_ROWS:-10000000}"
MODELWATCH="${MODELWATCH:-$ROOT/.build/release/modelwatch}"
PY="$ROOT/.venv-spark/bin/python"
GEN_PY="$ROOT/.venv-bench/bin/python"
export SPARK_HOME="$("$PY" -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))')" SPARK_LOCAL_IP=127.0.0.1
DATA="$ROOT/.build/bench-data/spark-n$ROWS"
WORK="$ROOT/.build/bench/spark"
AS_OF="2026-11-02T00:00:00Z"
mkdir -p "$WORK"
say() { printf '%s\n' "$*" >&2; }
say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); pyspark $("$PY" -c 'import pyspark; print(pyspark.__version__)'); $(java -version 2>&1 | head -1)"

if [[ ! -f "$DATA/.complete" ]]; then
  if ! "$GEN_PY" -c "import numpy, pyarrow" 2>/dev/null; then
    say "adding numpy and pyarrow to .venv-bench"
    [[ -x "$GEN_PY" ]] || python3 -m venv "$ROOT/.venv-bench"
    "$ROOT/.venv-bench/bin/pip" install -q numpy pyarrow
  fi
  say "generating $ROWS rows (numpy, pyarrow) into $DATA"
  rm -rf "$DATA"; mkdir -p "$DATA"
  start=$(date +%s)
  "$GEN_PY" "$ROOT/Tests/Benchmarks/spark/generate.py" --rows "$ROWS" --out "$DATA" 2>"$WORK/generate.log"
  say "generated in $(( $(date +%s) - start )) s"
  touch "$DATA/.complete"
fi
say "data: $(du -sh "$DATA/scores.parquet" | cut -f1) + $(du -sh "$DATA/labels.parquet" | cut -f1) Parquet, $(du -sh "$DATA/scores_csv" | cut -f1) + $(du -sh "$DATA/labels_csv" | cut -f1) CSV"

# The Thrift server, from a scratch directory, stopped by PID on exit.
SERVER_DIR="$(mktemp -d /tmp/modelwatch-bench-spark.XXXXXX)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$SERVER_DIR" && exec "$SPARK_HOME/bin/spark-submit" --master 'local[2]' --driver-memory 4g \
  --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
  --conf spark.sql.warehouse.dir="$SERVER_DIR/warehouse" --conf spark.ui.enabled=false \
  --hiveconf hive.server2.transport.mode=http --hiveconf hive.server2.thrift.http.port="$PORT" \
  --hiveconf hive.server2.thrift.bind.host=127.0.0.1 spark-internal >"$SERVER_DIR/spark.log" 2>&1) &
SERVER_PID=$!
trap 'status=$?; kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; rm -rf "$SERVER_DIR"; exit $status' EXIT
for _ in $(seq 240); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/cliservice" || true)
  [[ "$code" == 401 ]] && break
  sleep 1
done
[[ "$code" == 401 ]] || { say "the Spark Thrift server did not start:"; tail -20 "$SERVER_DIR/spark.log" >&2; exit 1; }
JVM_PID="$(pgrep -P "$SERVER_PID" java || echo "$SERVER_PID")"

config() {  # config <scores source> <labels source>
  cat <<YAML
models:
  - name: bench
    window: 1d
    maturity: 1d
    restate_provisional: true
    thresholds: [0.3, 0.5]
    segments: [region]
    scores:
      $1
      columns: {id: prediction_id, time: prediction_time, score: score, version: model_version}
    labels:
      $2
      columns: {id: prediction_id, label: label, time: label_time}
    features:
      numeric: [f_num_00, f_num_01, f_num_02, f_num_03]
      categorical: [f_cat_00, f_cat_01]
YAML
}
config "path: $DATA/scores_csv/*.csv" "path: $DATA/labels_csv/*.csv" >"$WORK/files.yaml"
SPARK_URL="http://127.0.0.1:$PORT"
config "spark: {url: $SPARK_URL, user: bench, table: 'parquet.\`$DATA/scores.parquet\`'}" \
       "spark: {url: $SPARK_URL, user: bench, table: 'parquet.\`$DATA/labels.parquet\`'}" >"$WORK/spark.yaml"

jvm_cpu() { awk '{ print ($14 + $15) / 100 }' "/proc/$JVM_PID/stat"; }
# The statements the Thrift server ran (its INFO log has one "Submitting query" line per ExecuteStatement).
statements() { grep -c "Submitting query" "$SERVER_DIR/spark.log" || true; }
run() {  # run <name> <config> [binary]
  cat "$DATA"/*_csv/*.csv >/dev/null  # warm page cache for the file path
  local before; before=$(jvm_cpu)
  local queries; queries=$(statements)
  MODELWATCH_SPARK_PASSWORD=bench /usr/bin/time -v -o "$WORK/$1.time" "${3:-$MODELWATCH}" run --config "$2" --as-of "$AS_OF" \
    --output "file:$WORK/$1.lp" --timings >"$WORK/$1.out" 2>"$WORK/$1.err" || { say "FAILED: $1"; tail -5 "$WORK/$1.err" >&2; exit 1; }
  local after; after=$(jvm_cpu)
  local first=$(( queries + 1 ))
  queries=$(( $(statements) - queries ))
  # Each statement's start (the server's log time) and first words: where the push-down's time goes.
  "$PY" - "$SERVER_DIR/spark.log" "$first" >"$WORK/$1.statements" <<'PY'
import re, sys
hits = [line for line in open(sys.argv[1], errors="replace") if "Submitting query" in line][int(sys.argv[2]) - 1:]
for line in hits:  # plain log lines ("yy/MM/dd HH:mm:ss INFO …") or structured JSON ones ("ts":"…")
    ts = re.search(r'^(\d\d/\d\d/\d\d \d\d:\d\d:\d\d)|"ts":"([^"]+)"', line)
    sql = line.split("Submitting query '", 1)[1].replace("\\n", " ")
    print("   ", ts and (ts.group(1) or ts.group(2)), " ".join(sql.split())[:80])
PY
  awk -F': ' -v name="$1" -v jvm="$(echo "$after - $before" | bc)" -v queries="$queries" '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident set size/ { rss = $2 }
    END { printf "%-10s wall %7.1f s   modelwatch CPU %7.2f s   peak RSS %6.0f MiB   Spark JVM CPU during the run %7.1f s   statements %d\n", name, wall, user + sys, rss / 1024, jvm, queries }' "$WORK/$1.time" >&2
  cat "$WORK/$1.statements" >&2
}
say "== $ROWS predictions (one run each; the Spark server was started just before)"
run files "$WORK/files.yaml"
# BENCH_SPARK_BASELINE=<another modelwatch binary>: the same push-down with it first, on the same server
# (before/after; the later run meets a warmer JVM, so the order favours the baseline).
[[ -z "${BENCH_SPARK_BASELINE:-}" ]] || run baseline "$WORK/spark.yaml" "$BENCH_SPARK_BASELINE"
run spark "$WORK/spark.yaml"
say "-- agreement (performance, all rows, per window and version): exact file path vs Spark push-down"
"$PY" - "$WORK/files.lp" "$WORK/spark.lp" >&2 <<'PY'
import re, sys
def perf(path):
    out = {}
    for line in open(path):
        if line.startswith("modelwatch_performance,") and "segment=all," in line:
            key, fields, ts = line.rsplit(" ", 2) if line.count(" ") >= 2 else (line, "", "")
            version = re.search(r"version=([^,]+)", key).group(1)
            values = dict(kv.split("=", 1) for kv in re.findall(r"(\w+=[^,]+)", fields))
            out[(ts.strip(), version)] = values
    return out
files, spark = perf(sys.argv[1]), perf(sys.argv[2])
for key in sorted(files):
    f, s = files[key], spark.get(key, {})
    print(f"window end {key[0]} {key[1]}: n {f.get('n')} / {s.get('n')}  auc {f.get('auc')} / {s.get('auc')}  ap {f.get('average_precision')} / {s.get('average_precision')}")
PY
