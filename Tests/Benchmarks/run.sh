#!/usr/bin/env bash
# modelwatch benchmark: modelwatch vs pandas/scikit-learn vs DuckDB on the same files, numeric agreement,
# line-protocol encoding speed, and InfluxDB write speed vs curl. See docs/benchmark.md.
#
#   bash Tests/Benchmarks/run.sh                 # N = 1M and 5M (make bench builds modelwatch first)
#   BENCH_SIZES=100000 bash Tests/Benchmarks/run.sh
#
# Environment:
#   BENCH_SIZES     space-separated row counts (default "1000000 5000000")
#   BENCH_REPEAT    runs of modelwatch and DuckDB per size; the median is reported (default 3; pandas runs once)
#   BENCH_SKIP      space-separated parts to skip: pandas duckdb encode influx
#   MODELWATCH      the binary (default .build/release/modelwatch)
# Exit status: non-zero when a tool fails or modelwatch and the reference disagree beyond tolerance.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BENCH_DIR="$ROOT/Tests/Benchmarks"
VENV="$ROOT/.venv-bench"
PY="$VENV/bin/python"
DATA_ROOT="$ROOT/.build/bench-data"
WORK="$ROOT/.build/bench"
SIZES="${BENCH_SIZES:-1000000 5000000}"
REPEAT="${BENCH_REPEAT:-3}"
SKIP=" ${BENCH_SKIP:-} "
MODELWATCH="${MODELWATCH:-$ROOT/.build/release/modelwatch}"
AS_OF="2026-11-02T00:00:00Z"
FAILED=0

say() { printf '%s\n' "$*" >&2; }
skipped() { [[ "$SKIP" == *" $1 "* ]]; }

# ---------------------------------------------------------------- prerequisites
if [[ ! -x /usr/bin/time ]]; then
  say "installing GNU time (apt)"
  $( [[ $(id -u) == 0 ]] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [[ ! -x "$MODELWATCH" ]]; then
  say "building modelwatch (release)"
  swift build -c release --product modelwatch
fi
if ! "$PY" -c "import pandas, pyarrow, sklearn, scipy, duckdb" 2>/dev/null; then
  say "creating $VENV (pandas, pyarrow, scikit-learn, scipy, duckdb)"
  python3 -m venv "$VENV" || { say "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q pandas pyarrow scikit-learn scipy duckdb numpy
fi
mkdir -p "$DATA_ROOT" "$WORK"
"$PY" -c "import pandas, pyarrow, sklearn, scipy, duckdb, numpy; print('versions: pandas', pandas.__version__, '· pyarrow', pyarrow.__version__, '· scikit-learn', sklearn.__version__, '· scipy', scipy.__version__, '· duckdb', duckdb.__version__, '· numpy', numpy.__version__)" >&2
say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# ---------------------------------------------------------------- helpers
# measure NAME OUTFILE CMD... : runs CMD under /usr/bin/time -v; appends "wall_s peak_kib" to OUTFILE.
measure() {
  local name="$1" out="$2"; shift 2
  local timing="$WORK/time.$$.txt"
  if ! /usr/bin/time -v -o "$timing" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"; then
    say "FAILED: $name (see $WORK/$name.stderr)"; tail -5 "$WORK/$name.stderr" >&2; FAILED=1; return 1
  fi
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
              /Maximum resident set size/ { m = $2 } END { printf "%.3f %d\n", s, m }' "$timing" >>"$out"
}
# median of the first column, with the matching peak memory
# The median wall time and, on its own, the median peak memory of a file of "seconds KiB" lines (the peak of a
# run varies with what is in flight when it happens, independently of its time).
median_of_column() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
median() { echo "$(median_of_column "$1" 1) $(median_of_column "$1" 2)"; }

RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# ---------------------------------------------------------------- per size
for N in $SIZES; do
  DATA="$DATA_ROOT/n$N"
  if [[ ! -f "$DATA/.complete" ]]; then
    say "generating $N rows into $DATA"
    rm -rf "$DATA"
    "$PY" "$BENCH_DIR/generate.py" --rows "$N" --out "$DATA"
    touch "$DATA/.complete"
  fi
  say ""
  say "== N = $N ($(du -sh "$DATA/scores.csv" | cut -f1) scores, $(du -sh "$DATA/labels.csv" | cut -f1) labels)"
  # Page cache: every tool reads the files once before timing starts, so all runs are warm.
  cat "$DATA"/*.csv >/dev/null

  # modelwatch: the reference profile is built once (not part of the job), then the job is timed.
  measure "mw-profile-$N" "$WORK/mw-profile-$N.txt" "$MODELWATCH" profile --config "$DATA/modelwatch.yaml" \
    --from 2026-10-01T00:00:00Z --to 2026-10-02T00:00:00Z --input "$DATA/reference.csv" --out "$DATA/reference-profile.json" || continue
  : >"$WORK/mw-$N.txt"
  for _ in $(seq "$REPEAT"); do
    rm -f "$DATA/points.lp"
    measure "mw-$N" "$WORK/mw-$N.txt" "$MODELWATCH" run --config "$DATA/modelwatch.yaml" --as-of "$AS_OF" \
      --output "file:$DATA/points.lp" --log-format logfmt --timings || break
  done
  read -r mw_s mw_kib < <(median "$WORK/mw-$N.txt")
  read -r prof_s prof_kib < "$WORK/mw-profile-$N.txt"
  mw_timings=$(grep -o 'timing[^ ]*=[^ ]*\|stage[^ ]*=[^ ]*' "$WORK/mw-$N.stderr" | tr '\n' ' ' || true)
  say "modelwatch  run ${mw_s}s  peak $((mw_kib / 1024)) MiB  (profile of the 200k reference rows: ${prof_s}s, $((prof_kib / 1024)) MiB)${mw_timings:+  stages: $mw_timings}"
  printf '%s\tmodelwatch\t%s\t%s\n' "$N" "$mw_s" "$mw_kib" >>"$RESULTS"

  if ! skipped pandas; then
    : >"$WORK/pd-$N.txt"
    if measure "pd-$N" "$WORK/pd-$N.txt" "$PY" "$BENCH_DIR/reference.py" --data "$DATA" --out "$DATA/reference.json"; then
      read -r pd_s pd_kib < "$WORK/pd-$N.txt"
      say "pandas      ${pd_s}s  peak $((pd_kib / 1024)) MiB  stages: $(cat "$WORK/pd-$N.stdout")"
      printf '%s\tpandas/scikit-learn\t%s\t%s\n' "$N" "$pd_s" "$pd_kib" >>"$RESULTS"
      say "-- agreement with the reference (tolerances: Tests/Benchmarks/agree.py, docs/benchmark.md)"
      if ! "$PY" "$BENCH_DIR/agree.py" --modelwatch "$DATA/points.lp" --reference "$DATA/reference.json" \
           --profile "$DATA/reference-profile.json" >&2; then
        FAILED=1
      fi
    fi
  fi

  if ! skipped duckdb; then
    : >"$WORK/dd-$N.txt"
    for _ in $(seq "$REPEAT"); do
      measure "dd-$N" "$WORK/dd-$N.txt" "$PY" "$BENCH_DIR/duckdb_bare.py" --data "$DATA" || break
    done
    read -r dd_s dd_kib < <(median "$WORK/dd-$N.txt")
    say "duckdb bare ${dd_s}s  peak $((dd_kib / 1024)) MiB"
    printf '%s\tDuckDB bare read+join+aggregates\t%s\t%s\n' "$N" "$dd_s" "$dd_kib" >>"$RESULTS"
  fi
done

# ---------------------------------------------------------------- summary
say ""
say "== end to end (wall time incl. process start; median of $REPEAT for modelwatch and DuckDB, one pandas run)"
"$PY" - "$RESULTS" >&2 <<'EOF'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(dict)
for n, tool, s, kib in rows:
    by[int(n)][tool] = (float(s), int(kib))
print(f"{'N':>9}  {'tool':<34} {'wall s':>8} {'rows/s':>12} {'peak MiB':>9} {'time vs modelwatch':>19} {'memory vs modelwatch':>21}")
for n in sorted(by):
    mw = by[n].get("modelwatch")
    for tool, (s, kib) in by[n].items():
        ratio = f"{s / mw[0]:.1f}x" if mw else "-"
        mem = f"{kib / mw[1]:.1f}x" if mw else "-"
        print(f"{n:>9}  {tool:<34} {s:>8.2f} {n / s:>12,.0f} {kib / 1024:>9.0f} {ratio:>19} {mem:>21}")
sizes = sorted(by)
if len(sizes) >= 2:
    lo, hi = sizes[0], sizes[-1]
    print(f"\nlinearity: time per row at {hi:,} / time per row at {lo:,} (1.0 = linear)")
    for tool in by[hi]:
        if tool in by[lo]:
            print(f"  {tool:<34} {(by[hi][tool][0] / hi) / (by[lo][tool][0] / lo):.2f}")
EOF

# ---------------------------------------------------------------- line-protocol encoding
if ! skipped encode; then
  say ""
  say "== line-protocol encoding (Sources/LineProtocol compiled with Tests/Benchmarks/encode/main.swift, -O)"
  swiftc -O -wmo -module-name LineProtocolBench "$ROOT"/Sources/LineProtocol/*.swift "$BENCH_DIR/encode/main.swift" \
    -o "$WORK/encode" 2>"$WORK/encode-build.log" || { say "encode benchmark failed to build"; cat "$WORK/encode-build.log" >&2; FAILED=1; }
  [[ -x "$WORK/encode" ]] && "$WORK/encode" 1000000 >&2
fi

# ---------------------------------------------------------------- InfluxDB write vs curl
if ! skipped influx; then
  say ""
  bash "$BENCH_DIR/influx.sh" "$MODELWATCH" "$WORK" || FAILED=1
fi

if [[ $FAILED != 0 ]]; then say ""; say "benchmark: FAILED (see above)"; exit 1; fi
say ""
say "benchmark: done"
