// Lets g++ parse Scoped's CUDA C on a machine without CUDA (tools/gpu/syntax-check.sh): the CUDA keywords and
// built-ins become plain C++. It checks syntax, names and types only; nothing here runs or is timed.
#pragma once
#include <cstdint>
#include <cmath>
#include <cfloat>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
// empty (not static) so that `extern __shared__ float tile[];` (dynamic shared memory) parses as a block-scope extern
#define __shared__
#define __constant__ static
#define __restrict__
struct scoped_uint3 { unsigned int x, y, z; };
struct scoped_dim3 { unsigned int x, y, z; };
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
template <typename T> inline T __ldg(const T* p) { return *p; }
inline float __fmaf_rn(float a, float b, float c) { return a * b + c; }
inline float __saturatef(float x) { return x < 0 ? 0 : x > 1 ? 1 : x; }
// float/double arithmetic with explicit rounding (no contraction into FMA): the plain operation here.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline float __int_as_float(int bits) { float f; __builtin_memcpy(&f, &bits, 4); return f; }
using std::isfinite;
using std::isnan;
