#!/usr/bin/env bash
# modelwatch benchmark: modelwatch vs pandas/scikit-learn vs DuckDB on the same files, numeric agreement,
# line-protocol encoding speed, and InfluxDB write speed vs curl. See docs/benchmark.md.
# Two configurations of the same job on the same files: without segments, and with one segment column
# (`region`, 8 values), whose slices every tool computes too.
#
#   bash Tests/Benchmarks/run.sh                 # N = 1M and 5M (make bench builds modelwatch first)
#   BENCH_SIZES=100000 bash Tests/Benchmarks/run.sh
#
# Environment:
#   BENCH_SIZES     space-separated row counts (default "1000000 5000000")
#   BENCH_REPEAT    runs of modelwatch and DuckDB per size and configuration, the configurations and the two tools alternating; the
#                   median is reported (default 3; pandas runs once per configuration)
#   BENCH_SKIP      space-separated parts to skip: pandas duckdb segments encode influx
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
# measure NAME OUTFILE CMD... : runs CMD under /usr/bin/time -v; appends "wall_s peak_kib cpu_s" to OUTFILE
# (cpu_s: user + system seconds of the process and its threads).
measure() {
  local name="$1" out="$2"; shift 2
  local timing="$WORK/time.$$.txt"
  if ! /usr/bin/time -v -o "$timing" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"; then
    say "FAILED: $name (see $WORK/$name.stderr)"; tail -5 "$WORK/$name.stderr" >&2; FAILED=1; return 1
  fi
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
              /User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { y = $2 }
              /Maximum resident set size/ { m = $2 } END { printf "%.3f %d %.2f\n", s, m, u + y }' "$timing" >>"$out"
}
# median of the first column, with the matching peak memory
# The median wall time and, on its own, the median peak memory of a file of "seconds KiB" lines (the peak of a
# run varies with what is in flight when it happens, independently of its time).
median_of_column() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
median() { echo "$(median_of_column "$1" 1) $(median_of_column "$1" 2) $(median_of_column "$1" 3)"; }
# pair_ratios A B : the median of the run-by-run ratios B/A of wall time and of CPU time (the runs alternated).
pair_ratios() {
  paste -d' ' "$1" "$2" | awk '{ print $4 / $1, $6 / $3 }' >"$WORK/pairs.$$.txt"
  echo "$(median_of_column "$WORK/pairs.$$.txt" 1) $(median_of_column "$WORK/pairs.$$.txt" 2)"
}

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

  # The configurations: the job without segments, and (unless skipped) the same job with one segment column.
  CONFIGS=("plain")
  skipped segments || CONFIGS+=("segments")
  [[ -f "$DATA/modelwatch-segments.yaml" ]] || "$PY" "$BENCH_DIR/generate.py" --rows "$N" --out "$DATA" --configs-only
  config_file() { [[ $1 == plain ]] && echo "$DATA/modelwatch.yaml" || echo "$DATA/modelwatch-segments.yaml"; }
  points_file() { [[ $1 == plain ]] && echo "$DATA/points.lp" || echo "$DATA/points-segments.lp"; }
  label() { [[ $1 == plain ]] && echo "$2" || echo "$2 · 8 segments"; }

  # modelwatch: the reference profile is built once (not part of the job), then the job is timed, the
  # configurations alternating run by run (so a drift of the machine's speed affects both alike).
  measure "mw-profile-$N" "$WORK/mw-profile-$N.txt" "$MODELWATCH" profile --config "$DATA/modelwatch.yaml" \
    --from 2026-10-01T00:00:00Z --to 2026-10-02T00:00:00Z --input "$DATA/reference.csv" --out "$DATA/reference-profile.json" || continue
  read -r prof_s prof_kib _ < "$WORK/mw-profile-$N.txt"
  say "modelwatch  profile of the 200k reference rows: ${prof_s}s, $((prof_kib / 1024)) MiB"
  # DuckDB's runs alternate with modelwatch's too, each right after modelwatch's run of the same configuration, so
  # that the ratio of the two tools is taken from runs minutes apart at most rather than from medians measured
  # before and after the pandas reference (a drift of the machine's speed in between moved that ratio by 10%).
  for config in "${CONFIGS[@]}"; do : >"$WORK/mw-$config-$N.txt"; : >"$WORK/dd-$config-$N.txt"; done
  for _ in $(seq "$REPEAT"); do
    for config in "${CONFIGS[@]}"; do
      rm -f "$(points_file "$config")"
      measure "mw-$config-$N" "$WORK/mw-$config-$N.txt" "$MODELWATCH" run --config "$(config_file "$config")" --as-of "$AS_OF" \
        --output "file:$(points_file "$config")" --log-format logfmt --timings || break 2
      if ! skipped duckdb; then
        segment_args=(); [[ $config == plain ]] || segment_args=(--segment region)
        measure "dd-$config-$N" "$WORK/dd-$config-$N.txt" "$PY" "$BENCH_DIR/duckdb_bare.py" --data "$DATA" "${segment_args[@]}" || break 2
      fi
    done
  done
  for config in "${CONFIGS[@]}"; do
    read -r mw_s mw_kib mw_cpu < <(median "$WORK/mw-$config-$N.txt")
    mw_timings=$(grep -o 'timing[^ ]*=[^ ]*\|stage[^ ]*=[^ ]*' "$WORK/mw-$config-$N.stderr" | tr '\n' ' ' || true)
    say "$(printf '%-28s' "$(label "$config" modelwatch)") ${mw_s}s  CPU ${mw_cpu}s  peak $((mw_kib / 1024)) MiB${mw_timings:+  stages: $mw_timings}"
    printf '%s\t%s\t%s\t%s\t%s\n' "$N" "$(label "$config" modelwatch)" "$mw_s" "$mw_kib" "$mw_cpu" >>"$RESULTS"
  done
  if [[ ${#CONFIGS[@]} == 2 ]]; then
    read -r wall_ratio cpu_ratio < <(pair_ratios "$WORK/mw-plain-$N.txt" "$WORK/mw-segments-$N.txt")
    say "modelwatch  8 segments / none, median of $REPEAT alternating pairs: wall ${wall_ratio}×, CPU ${cpu_ratio}×"
  fi

  if ! skipped pandas; then
    for config in "${CONFIGS[@]}"; do
      : >"$WORK/pd-$config-$N.txt"
      segment_args=(); [[ $config == plain ]] || segment_args=(--segment region)
      if measure "pd-$config-$N" "$WORK/pd-$config-$N.txt" "$PY" "$BENCH_DIR/reference.py" --data "$DATA" \
           --out "$DATA/reference-$config.json" "${segment_args[@]}"; then
        read -r pd_s pd_kib pd_cpu < "$WORK/pd-$config-$N.txt"
        say "$(printf '%-28s' "$(label "$config" pandas)") ${pd_s}s  CPU ${pd_cpu}s  peak $((pd_kib / 1024)) MiB  stages: $(cat "$WORK/pd-$config-$N.stdout")"
        printf '%s\t%s\t%s\t%s\t%s\n' "$N" "$(label "$config" pandas/scikit-learn)" "$pd_s" "$pd_kib" "$pd_cpu" >>"$RESULTS"
        say "-- agreement with the reference, $(label "$config" "all rows") (tolerances: Tests/Benchmarks/agree.py, docs/benchmark.md)"
        if ! "$PY" "$BENCH_DIR/agree.py" --modelwatch "$(points_file "$config")" --reference "$DATA/reference-$config.json" \
             --profile "$DATA/reference-profile.json" >&2; then
          FAILED=1
        fi
      fi
    done
  fi

  if ! skipped duckdb; then
    for config in "${CONFIGS[@]}"; do
      [[ -s "$WORK/dd-$config-$N.txt" ]] || continue
      read -r dd_s dd_kib dd_cpu < <(median "$WORK/dd-$config-$N.txt")
      say "$(printf '%-28s' "$(label "$config" "duckdb bare")") ${dd_s}s  CPU ${dd_cpu}s  peak $((dd_kib / 1024)) MiB"
      printf '%s\t%s\t%s\t%s\t%s\n' "$N" "$(label "$config" "DuckDB bare read+join+aggregates")" "$dd_s" "$dd_kib" "$dd_cpu" >>"$RESULTS"
      read -r wall_ratio cpu_ratio < <(pair_ratios "$WORK/mw-$config-$N.txt" "$WORK/dd-$config-$N.txt")
      say "$(printf '%-28s' "$(label "$config" "duckdb / modelwatch")") median of $REPEAT alternating pairs: wall ${wall_ratio}×, CPU ${cpu_ratio}× (above 1: modelwatch is faster)"
    done
  fi
done

# ---------------------------------------------------------------- summary
say ""
say "== end to end (wall time incl. process start, CPU = user + system; median of $REPEAT for modelwatch and DuckDB, one pandas run; each compared with modelwatch in the same configuration)"
"$PY" - "$RESULTS" >&2 <<'EOF'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(dict)
for n, tool, s, kib, cpu in rows:
    by[int(n)][tool] = (float(s), int(kib), float(cpu))
SEGMENTED = " · 8 segments"
def baseline(n, tool):
    """modelwatch in the same configuration."""
    return by[n].get("modelwatch" + (SEGMENTED if tool.endswith(SEGMENTED) else ""))
print(f"{'N':>9}  {'tool':<47} {'wall s':>7} {'rows/s':>10} {'CPU s':>7} {'peak MiB':>9}   {'vs modelwatch: wall':>19} {'CPU':>6} {'memory':>7}")
for n in sorted(by):
    for tool, (s, kib, cpu) in by[n].items():
        mw = baseline(n, tool)
        ratios = (f"{s / mw[0]:.2f}x", f"{cpu / mw[2]:.2f}x", f"{kib / mw[1]:.2f}x") if mw else ("-", "-", "-")
        print(f"{n:>9}  {tool:<47} {s:>7.2f} {n / s:>10,.0f} {cpu:>7.2f} {kib / 1024:>9.0f}   {ratios[0]:>19} {ratios[1]:>6} {ratios[2]:>7}")
    plain, segmented = by[n].get("modelwatch"), by[n].get("modelwatch" + SEGMENTED)
    if plain and segmented:
        print(f"{n:>9}  modelwatch 8 segments / none (medians): wall {segmented[0] / plain[0]:.2f}x, CPU {segmented[2] / plain[2]:.2f}x, "
              f"peak {segmented[1] / plain[1]:.2f}x")
sizes = sorted(by)
if len(sizes) >= 2:
    lo, hi = sizes[0], sizes[-1]
    print(f"\nlinearity: time per row at {hi:,} / time per row at {lo:,} (1.0 = linear)")
    for tool in by[hi]:
        if tool in by[lo]:
            print(f"  {tool:<47} {(by[hi][tool][0] / hi) / (by[lo][tool][0] / lo):.2f}")
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
