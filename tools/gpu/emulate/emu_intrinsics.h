// CUDA's arithmetic intrinsics and math built-ins as plain C++ with the same IEEE semantics, shared by both CPU
// emulators (emu_shim.h for the *_check.cpp programs, emu_runtime.h for the emulated device the tests use).
// Compile with -ffp-contract=off: the _rn intrinsics forbid fusing, and the host code they are compared with never
// fuses either. Round-to-nearest-even is the default on both sides; denormals are kept on both (no -ffast-math).
#pragma once
#include <cstdint>
#include <cstring>
#include <cmath>
#include <math.h>
#include <cfloat>
#ifdef EMU_SCAN
#define __global__ EMU_KERNEL   // marks the entry points for the generator that lists them
#else
#define __global__
#endif
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__
struct scoped_uint3 { unsigned int x, y, z; };
struct scoped_dim3 { unsigned int x, y, z; };
template <typename T> inline T __ldg(const T* p) { return *p; }
// Each operation rounded once: a plain float operation under -ffp-contract=off; fma is the correctly rounded one.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __fma_rn(double a, double b, double c) { return std::fma(a, b, c); }
inline float __int_as_float(int bits) { float f; std::memcpy(&f, &bits, 4); return f; }
inline int __float_as_int(float f) { int bits; std::memcpy(&bits, &f, 4); return bits; }
// CUDA's __saturatef clamps to [0, 1] and turns NaN into 0.
inline float __saturatef(float x) { return x >= 1.0f ? 1.0f : x > 0.0f ? x : 0.0f; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
// fminf / fmaxf / floorf / ceilf / trunc come from <math.h> with C99 semantics, as CUDA's (NaN-ignoring min/max).
using std::signbit;
using std::isfinite;
using std::isnan;
