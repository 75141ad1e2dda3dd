#!/usr/bin/env bash
# Regression and multiclass models in the benchmark: modelwatch against a pandas / scikit-learn reference computing
# the same metrics on the same files, with the agreement check. See docs/benchmark.md.
#
#   bash Tests/Benchmarks/tasks.sh                     # make bench runs it after run.sh (release binary built)
#   TASKS_SIZES=100000 bash Tests/Benchmarks/tasks.sh  # a quick run
#
# Environment:
#   TASKS_SIZES   space-separated row counts (default "1000000")
#   TASKS         the tasks to run (default "regression multiclass")
#   BENCH_REPEAT  runs of modelwatch per size and task; the median is reported (default 3; the reference runs once)
#   MODELWATCH    the binary (default .build/release/modelwatch)
# Exit status: non-zero when a tool fails or modelwatch and the reference disagree beyond tolerance.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
BENCH_DIR="$ROOT/Tests/Benchmarks"
VENV="$ROOT/.venv-bench"
PY="$VENV/bin/python"
DATA_ROOT="$ROOT/.build/bench-data"
WORK="$ROOT/.build/bench"
SIZES="${TASKS_SIZES:-1000000}"
TASK_LIST="${TASKS:-regression multiclass}"
REPEAT="${BENCH_REPEAT:-3}"
MODELWATCH="${MODELWATCH:-$ROOT/.build/release/modelwatch}"
AS_OF="2026-11-02T00:00:00Z"
FAILED=0

say() { printf '%s\n' "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
  say "installing GNU time (apt)"
  $( [[ $(id -u) == 0 ]] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [[ ! -x "$MODELWATCH" ]]; then
  say "building modelwatch (release)"
  swift build -c release --product modelwatch
fi
if ! "$PY" -c "import pandas, pyarrow, sklearn, scipy" 2>/dev/null; then
  say "creating $VENV (pandas, pyarrow, scikit-learn, scipy, duckdb)"
  python3 -m venv "$VENV" || { say "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q pandas pyarrow scikit-learn scipy duckdb numpy
fi
mkdir -p "$DATA_ROOT" "$WORK"

# measure NAME OUTFILE CMD... : runs CMD under /usr/bin/time -v; appends "wall_s peak_kib cpu_s" to OUTFILE.
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
# The median of each column of a file of "wall_s peak_kib cpu_s" lines, each on its own.
median_of_column() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
median() { echo "$(median_of_column "$1" 1) $(median_of_column "$1" 2) $(median_of_column "$1" 3)"; }

SUMMARY="$WORK/tasks-results.txt"
: >"$SUMMARY"
for N in $SIZES; do
  for TASK in $TASK_LIST; do
    DATA="$DATA_ROOT/$TASK-n$N"
    if [[ ! -f "$DATA/.complete" ]]; then
      say "generating $N $TASK rows into $DATA"
      rm -rf "$DATA"
      "$PY" "$BENCH_DIR/tasks_generate.py" --task "$TASK" --rows "$N" --out "$DATA"
      touch "$DATA/.complete"
    fi
    say ""
    say "== $TASK, N = $N ($(du -sh "$DATA/scores.csv" | cut -f1) scores, $(du -sh "$DATA/labels.csv" | cut -f1) labels)"
    cat "$DATA"/*.csv >/dev/null   # warm page cache for every tool

    # The reference profile (predictions, targets or true classes, features of the 200k reference rows) is built
    # once and not timed as part of the job.
    : >"$WORK/tasks-profile.txt"
    measure "tasks-$TASK-profile-$N" "$WORK/tasks-profile.txt" "$MODELWATCH" profile --config "$DATA/modelwatch-profile.yaml" \
      --from 2026-10-01T00:00:00Z --to 2026-10-02T00:00:00Z --out "$DATA/reference-profile.json" || continue

    : >"$WORK/tasks-mw-$TASK-$N.txt"
    for _ in $(seq "$REPEAT"); do
      rm -f "$DATA/points.lp"
      measure "tasks-mw-$TASK-$N" "$WORK/tasks-mw-$TASK-$N.txt" "$MODELWATCH" run --config "$DATA/modelwatch.yaml" \
        --as-of "$AS_OF" --output "file:$DATA/points.lp" --log-format logfmt --timings || break
    done
    [[ -s "$DATA/points.lp" ]] || continue
    read -r mw_s mw_kib mw_cpu < <(median "$WORK/tasks-mw-$TASK-$N.txt")
    printf '%s %s modelwatch %s %s %s\n' "$TASK" "$N" "$mw_s" "$mw_kib" "$mw_cpu" >>"$SUMMARY"
    say "modelwatch               ${mw_s}s  CPU ${mw_cpu}s  peak $((mw_kib / 1024)) MiB (median of $REPEAT)"

    : >"$WORK/tasks-pd-$TASK-$N.txt"
    if measure "tasks-pd-$TASK-$N" "$WORK/tasks-pd-$TASK-$N.txt" "$PY" "$BENCH_DIR/tasks_reference.py" --task "$TASK" \
         --data "$DATA" --out "$DATA/reference.json"; then
      read -r pd_s pd_kib pd_cpu < "$WORK/tasks-pd-$TASK-$N.txt"
      printf '%s %s pandas/scikit-learn %s %s %s\n' "$TASK" "$N" "$pd_s" "$pd_kib" "$pd_cpu" >>"$SUMMARY"
      say "pandas / scikit-learn    ${pd_s}s  CPU ${pd_cpu}s  peak $((pd_kib / 1024)) MiB  stages: $(cat "$WORK/tasks-pd-$TASK-$N.stdout")"
      say "-- agreement with the reference (tolerances: Tests/Benchmarks/tasks_agree.py, docs/benchmark.md)"
      "$PY" "$BENCH_DIR/tasks_agree.py" --task "$TASK" --modelwatch "$DATA/points.lp" --reference "$DATA/reference.json" \
        --profile "$DATA/reference-profile.json" >&2 || FAILED=1
    fi
  done
done

say ""
say "== regression and multiclass (wall and CPU seconds, peak MiB; modelwatch the median of $REPEAT, the reference one run)"
printf '%-10s %9s  %-22s %8s %8s %9s %14s\n' task N tool "wall s" "CPU s" "peak MiB" "vs modelwatch" >&2
while read -r task n tool s kib cpu; do
  read -r _ _ _ mw_s _ mw_cpu < <(grep "^$task $n modelwatch " "$SUMMARY") || continue
  printf '%-10s %9s  %-22s %8.2f %8.2f %9d %6.1fx / %4.1fx\n' "$task" "$n" "$tool" "$s" "$cpu" "$((kib / 1024))" \
    "$(awk "BEGIN { print $s / $mw_s }")" "$(awk "BEGIN { print $cpu / $mw_cpu }")" >&2
done <"$SUMMARY"

if [[ $FAILED != 0 ]]; then say ""; say "tasks benchmark: FAILED (see above)"; exit 1; fi
say ""
say "tasks benchmark: done"
