#!/usr/bin/env bash
# Performance-metric speed (issue 3): PerformanceEvaluator on 1M and 10M labelled rows, best of 3.
# Usage: bash Tests/Benchmarks/metrics.sh [N ...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$ROOT/.build/bench"
mkdir -p "$WORK"
swiftc -O -wmo -module-name PerformanceMetrics -parse-as-library "$ROOT"/Sources/PerformanceMetrics/*.swift "$ROOT/Tests/Benchmarks/metrics/main.swift" -o "$WORK/metrics"
echo "== PerformanceMetrics: one window of N labelled rows (release build, one core) =="
"$WORK/metrics" "$@"
