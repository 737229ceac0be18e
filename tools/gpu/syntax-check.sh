#!/usr/bin/env bash
# Parses every kernel module with g++ through cuda_syntax_shim.h: catches typos, undeclared names and type errors
# on machines without CUDA. It is not a compile for the GPU (NVRTC does that at run time on a GPU machine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernels="$here/../../Scoped.Backends.Gpu/Kernels"
status=0
for f in "$kernels"/*.cu; do
  if g++ -std=c++17 -fsyntax-only -Wall -Wno-unused-function -Wno-unknown-pragmas -x c++ -include "$here/cuda_syntax_shim.h" -I "$kernels" "$f"; then
    echo "ok   $(basename "$f")"
  else
    echo "FAIL $(basename "$f")"; status=1
  fi
done
exit $status
