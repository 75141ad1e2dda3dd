#!/usr/bin/env bash
# The hand-written pieces of modelwatch against the library they replace, for docs/design.md.
# Usage: Tests/Benchmarks/pieces.sh [items]   (default 1000000; needs swiftc, and sha256sum for scale)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${TMPDIR:-/tmp}/modelwatch-pieces"
mkdir -p "$WORK"
N="${1:-1000000}"
swiftc -O -wmo -module-name InputPieces -I "$ROOT/Sources/CByteClasses" "$ROOT"/Sources/InputParsing/*.swift "$ROOT/Tests/Benchmarks/pieces/input/main.swift" -o "$WORK/input"
swiftc -O -wmo -module-name FloatPieces "$ROOT"/Sources/LineProtocol/*.swift "$ROOT/Tests/Benchmarks/pieces/float/main.swift" -o "$WORK/float"
swiftc -O -wmo -module-name ShaPieces "$ROOT/Sources/DriftMetrics/SHA256.swift" "$ROOT/Tests/Benchmarks/pieces/sha/main.swift" -o "$WORK/sha"
"$WORK/input" "$N"
"$WORK/float" "$N"
line="$("$WORK/sha" 8)"
echo "$line"
file="${line##*sha256sum }"; file="${file%)}"
start=$(date +%s.%N); sha256sum "$file" >/dev/null; end=$(date +%s.%N)
echo "sha256sum on the same 8 MiB: $(echo "$end - $start" | bc) s"
rm -f "$file"
