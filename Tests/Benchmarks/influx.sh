#!/usr/bin/env bash
# Writing 1M points to a local InfluxDB 1.x: modelwatch's delivery path vs curl posting the same batches.
#
#   bash Tests/Benchmarks/influx.sh MODELWATCH_BINARY WORK_DIR
#
# influxd is started like Sources/TestSupport/InfluxServer.swift does it (temporary directories, loopback,
# free ports, reporting and logging off). 1M points (200 series x 5,000 timestamps, shaped like
# modelwatch_feature points) are split into 200 batches of 5,000 lines (delivery.batch_lines' default).
# - modelwatch: the batches are placed in a spool directory and sent by `modelwatch flush` (InfluxWriter:
#   libcurl, retries, and the durable spool: each file is unlinked and the directory fsynced after its batch
#   is acknowledged). gzip off, so both sides post identical bodies.
# - curl: one curl process posting the same 200 files over one keep-alive connection (--next).
# Each side writes into a fresh database; each is run 3 times alternately, the best time is reported.
set -euo pipefail
MODELWATCH="$1"
WORK="$2/influx"
POINTS=${INFLUX_BENCH_POINTS:-1000000}
BATCH=5000
rm -rf "$WORK"; mkdir -p "$WORK/batches"
command -v influxd >/dev/null || { echo "influxd missing (apt-get install influxdb): skipping the InfluxDB benchmark" >&2; exit 0; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port); RPC_PORT=$(free_port)
URL="http://127.0.0.1:$HTTP_PORT"
printf 'reporting-disabled = true\n' >"$WORK/influxdb.conf"
INFLUXDB_META_DIR="$WORK/meta" INFLUXDB_DATA_DIR="$WORK/data" INFLUXDB_DATA_WAL_DIR="$WORK/wal" \
INFLUXDB_HTTP_BIND_ADDRESS="127.0.0.1:$HTTP_PORT" INFLUXDB_BIND_ADDRESS="127.0.0.1:$RPC_PORT" \
INFLUXDB_REPORTING_DISABLED=true INFLUXDB_HTTP_LOG_ENABLED=false INFLUXDB_DATA_QUERY_LOG_ENABLED=false \
INFLUXDB_HTTP_AUTH_ENABLED=false influxd -config "$WORK/influxdb.conf" >"$WORK/influxd.log" 2>&1 &
INFLUXD_PID=$!
trap 'kill $INFLUXD_PID 2>/dev/null; wait $INFLUXD_PID 2>/dev/null; rm -rf "$WORK/meta" "$WORK/data" "$WORK/wal"' EXIT
for _ in $(seq 100); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/ping")" == 204 ]] && break
  sleep 0.1
done
query() { curl -sS -XPOST "$URL/query" --data-urlencode "q=$1" >/dev/null; }

# The points: 200 series, 5,000 timestamps one minute apart, 10 fields each (~230 bytes a line).
python3 - "$WORK/batches" "$POINTS" "$BATCH" <<'EOF'
import sys, random
out, total, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
series = [f"modelwatch_feature,feature=f_num_{i % 20:02d},kind=numeric,model=bench_{i // 20},segment=all,segment_value=all,version=v1"
          for i in range(200)]
lines = []
t0 = 1793577600000
for i in range(total):
    s = series[i % 200]
    ts = t0 + (i // 200) * 60_000
    v = [rng.random() for _ in range(8)]
    lines.append(f"{s} count={100000 + i % 977}i,null_count={i % 13}i,mean={v[0]!r},std={v[1]!r},p05={v[2]!r},p50={v[3]!r},p95={v[4]!r},psi={v[5]!r},js={v[6]!r},ks={v[7]!r} {ts}\n")
    if len(lines) == batch:
        with open(f"{out}/{1000000000000 + i // batch:015d}-{i // batch + 1:06d}.lp", "w") as f:
            f.writelines(lines)
        lines = []
if lines:
    with open(f"{out}/{1000000000000 + total // batch:015d}-{total // batch + 1:06d}.lp", "w") as f:
        f.writelines(lines)
EOF
NBATCH=$(ls "$WORK/batches" | wc -l)
BYTES=$(cat "$WORK/batches"/*.lp | wc -c)

cat >"$WORK/modelwatch.yaml" <<EOF
influx:
  url: $URL
  api: v1
  database: DBNAME
delivery:
  batch_lines: $BATCH
  gzip: false
  spool_dir: $WORK/spool
  spool_max_bytes: 1073741824
models:
  - name: bench
    window: 1d
    maturity: 1d
    scores:
      path: $WORK/unused-scores.csv
      columns: {id: prediction_id, time: prediction_time, score: score}
    labels:
      path: $WORK/unused-labels.csv
      columns: {id: prediction_id, label: label}
EOF

best_mw=999999; best_curl=999999
for round in 1 2 3; do
  # modelwatch flush
  db="mw_$round"; query "CREATE DATABASE $db"
  rm -rf "$WORK/spool"; mkdir -p "$WORK/spool"; cp "$WORK/batches"/*.lp "$WORK/spool/"
  sed "s/DBNAME/$db/" "$WORK/modelwatch.yaml" >"$WORK/mw-$round.yaml"
  start=$(date +%s.%N)
  "$MODELWATCH" flush --config "$WORK/mw-$round.yaml" >"$WORK/flush-$round.log" 2>&1 || { echo "modelwatch flush failed:" >&2; cat "$WORK/flush-$round.log" >&2; exit 1; }
  end=$(date +%s.%N)
  mw=$(echo "$end - $start" | bc -l)
  left=$(ls "$WORK/spool" | grep -c '\.lp$' || true)
  [[ "$left" == 0 ]] || { echo "modelwatch flush left $left batches" >&2; cat "$WORK/flush-$round.log" >&2; exit 1; }
  # curl: the same files, one process, one connection
  db="curl_$round"; query "CREATE DATABASE $db"
  : >"$WORK/curl.cfg"
  first=1
  for f in "$WORK/batches"/*.lp; do
    [[ $first == 1 ]] || echo "next" >>"$WORK/curl.cfg"
    first=0
    printf 'url = "%s/write?db=%s&precision=ms"\ndata-binary = "@%s"\nheader = "Content-Type: text/plain; charset=utf-8"\nsilent\nshow-error\nfail\noutput = "/dev/null"\n' "$URL" "$db" "$f" >>"$WORK/curl.cfg"
  done
  start=$(date +%s.%N)
  curl --config "$WORK/curl.cfg"
  end=$(date +%s.%N)
  cu=$(echo "$end - $start" | bc -l)
  best_mw=$(echo "if ($mw < $best_mw) $mw else $best_mw" | bc -l)
  best_curl=$(echo "if ($cu < $best_curl) $cu else $best_curl" | bc -l)
  printf 'round %d: modelwatch flush %.2fs, curl %.2fs\n' "$round" "$mw" "$cu" >&2
done
count=$(curl -sS -G "$URL/query" --data-urlencode "db=mw_3" --data-urlencode "q=SELECT count(mean) FROM modelwatch_feature" | grep -o '"values":\[\[[^]]*\]' | grep -o '[0-9]*\]$' | tr -d ']')
printf '== InfluxDB 1.x write, %d points in %d batches (%.0f MB, gzip off): modelwatch %.2fs (%.0f points/s), curl %.2fs (%.0f points/s), ratio %.2f; points stored by modelwatch: %s\n' \
  "$POINTS" "$NBATCH" "$(echo "$BYTES / 1000000" | bc -l)" "$best_mw" "$(echo "$POINTS / $best_mw" | bc -l)" \
  "$best_curl" "$(echo "$POINTS / $best_curl" | bc -l)" "$(echo "$best_mw / $best_curl" | bc -l)" "${count:-?}" >&2
