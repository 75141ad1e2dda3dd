#!/usr/bin/env bash
# Performance-metric speed (issue 3): PerformanceEvaluator on 1M and 10M labelled rows, best of 3.
# Usage: bash Tests/Benchmarks/metrics.sh [N ...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$ROOT/.build/bench"
mkdir -p "$WORK"
# OrderedKeys is its own module (PerformanceMetrics imports it); build it first, then the benchmark with it.
swiftc -O -wmo -parse-as-library -module-name OrderedKeys -emit-module -emit-module-path "$WORK/OrderedKeys.swiftmodule" \
  -emit-object -o "$WORK/OrderedKeys.o" "$ROOT"/Sources/OrderedKeys/*.swift
swiftc -O -wmo -module-name PerformanceMetrics -parse-as-library -I "$WORK" \
  "$ROOT"/Sources/PerformanceMetrics/*.swift "$ROOT/Sources/TestSupport/SplitMix64.swift" "$ROOT/Tests/Benchmarks/metrics/main.swift" "$WORK/OrderedKeys.o" -o "$WORK/metrics"
echo "== PerformanceMetrics: one window of N labelled rows (release build, one core) =="
"$WORK/metrics" "$@"
