#!/usr/bin/env bash
# Cold start (issue 15): each function in RUNS fresh processes; prints the medians of the first call, the second call
# and the steady state (ms), and second/steady. Any DOTNET_* settings in the environment reach the processes.
#   tools/bench/cold.sh [RUNS] [FUNCTION ...]      (builds Scoped.Benchmarks in Release first)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}; shift || true
dotnet build -c Release Scoped.Benchmarks -v q -nologo >/dev/null
dll=Scoped.Benchmarks/bin/Release/net10.0/Scoped.Benchmarks.dll
functions=("$@")
[ ${#functions[@]} -gt 0 ] || functions=(gaussian sobel median_f32 median_u8 erosion binary_erosion resize_x2 rotate_30 otsu equalize_hist ssim canny label)
printf '%-16s %10s %10s %10s %14s\n' function first_ms second_ms steady_ms second/steady
for f in "${functions[@]}"; do
  for _ in $(seq "$runs"); do dotnet "$dll" cold "$f"; done | python3 -c '
import sys, statistics as s
rows = [l.split() for l in sys.stdin if l.strip()]
name = rows[0][0]; med = [s.median(float(r[i]) for r in rows) for i in (1, 2, 3)]
print(f"{name:16s} {med[0]:10.1f} {med[1]:10.1f} {med[2]:10.1f} {med[1] / med[2]:14.2f}")'
done
