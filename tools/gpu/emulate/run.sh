#!/usr/bin/env bash
# Runs the rank, morphology, histogram, reduction and pointwise kernels on the CPU: g++ compiles each kernel module
# with emu_shim.h, which turns CUDA threads into std::threads (a barrier for __syncthreads, a mutex for atomics), and
# each *_check.cpp compares the kernels' output with plain host code. It checks indexing, bounds, boundary modes and
# the reductions' logic without a GPU; it does not check NVRTC compilation, performance or the device's float details
# (g++ here does not fuse multiply-adds, as the kernels' _rn intrinsics forbid on the GPU).
# The test suite has a fuller emulator (emu_runtime.h, Scoped.Tests/Gpu/Emulation): every module, through the real
# backend, with cooperative threads; see docs/gpu.md. Both take CUDA's arithmetic from emu_intrinsics.h.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernels="$here/../../../Scoped.Backends.Gpu/Kernels"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for check in "$here"/*_check.cpp; do
  name=$(basename "$check" .cpp)
  g++ -std=c++20 -O1 -ffp-contract=off -pthread -include "$here/emu_shim.h" -I "$kernels" -I "$here" "$check" -o "$out/$name"
  "$out/$name"
done
