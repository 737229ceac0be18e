#!/usr/bin/env bash
# What the second call of FUNCTION in a fresh process still compiles or recompiles (issue 15): the JIT's own summary
# between the cold benchmark's two marker methods. Anything listed there ran unoptimised code during that call.
#   tools/bench/cold-jit.sh FUNCTION      (after tools/bench/cold.sh has built Scoped.Benchmarks in Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
DOTNET_JitStdOutFile="$log" DOTNET_JitDisasmSummary=1 dotnet Scoped.Benchmarks/bin/Release/net10.0/Scoped.Benchmarks.dll cold "$1" 2 >/dev/null
sed -n '/SecondCallStarts/,/SecondCallEnded/p' "$log" | sed -E 's/^ *[0-9]+: JIT compiled //; s/\(.*\) \[/ [/'
rm -f "$log"
