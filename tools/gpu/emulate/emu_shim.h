// CPU emulation of CUDA for checking kernels: one std::thread per CUDA thread, blocks one after another.
#pragma once
#include <cstdint>
#include <cmath>
#include <cfloat>
#include <barrier>
#include <mutex>
#include <thread>
#include <vector>
#include <functional>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__
struct scoped_uint3 { unsigned int x, y, z; };
struct scoped_dim3 { unsigned int x, y, z; };
extern thread_local scoped_uint3 threadIdx, blockIdx;
extern scoped_dim3 blockDim, gridDim;
extern std::barrier<>* emu_barrier;
extern std::mutex emu_mutex;
inline void __syncthreads() { emu_barrier->arrive_and_wait(); }
template <typename T, typename U> inline T atomicAdd(T* a, U v) { std::lock_guard<std::mutex> g(emu_mutex); T old = *a; *a += v; return old; }
template <typename T> inline T __ldg(const T* p) { return *p; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
using std::signbit;
