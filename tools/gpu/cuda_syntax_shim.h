// Lets g++ parse Scoped's CUDA C on a machine without CUDA (tools/gpu/syntax-check.sh): the CUDA keywords and
// built-ins become plain C++. It checks syntax, names and types only; nothing here runs or is timed. The arithmetic
// intrinsics come from the emulator's header (one definition of each, with CUDA's IEEE semantics).
#pragma once
#include "emulate/emu_intrinsics.h"
// empty (not static) so that `extern __shared__ float tile[];` (dynamic shared memory) parses as a block-scope extern
#define __shared__
#define __constant__ static
extern scoped_uint3 threadIdx, blockIdx;
extern scoped_dim3 blockDim, gridDim;
extern const int warpSize;
inline void __syncthreads() {}
inline int __syncthreads_or(int p) { return p; }
inline void __threadfence() {}
template <typename T> inline T atomicAdd(T* a, T v) { T old = *a; *a += v; return old; }
template <typename T> inline T atomicMin(T* a, T v) { T old = *a; if (v < *a) *a = v; return old; }
template <typename T> inline T atomicMax(T* a, T v) { T old = *a; if (v > *a) *a = v; return old; }
template <typename T> inline T __shfl_down_sync(unsigned, T v, int) { return v; }
template <typename T> inline T __shfl_xor_sync(unsigned, T v, int) { return v; }
