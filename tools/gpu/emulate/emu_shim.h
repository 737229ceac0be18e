// CPU emulation of CUDA for checking kernels: one std::thread per CUDA thread, blocks one after another.
// The arithmetic intrinsics are in emu_intrinsics.h (shared with emu_runtime.h, the emulated device of the tests).
#pragma once
#include "emu_intrinsics.h"
#include <barrier>
#include <mutex>
#include <thread>
#include <vector>
#include <functional>
#define __shared__ static
extern thread_local scoped_uint3 threadIdx, blockIdx;
extern scoped_dim3 blockDim, gridDim;
extern std::barrier<>* emu_barrier;
extern std::mutex emu_mutex;
inline void __syncthreads() { emu_barrier->arrive_and_wait(); }
template <typename T, typename U> inline T atomicAdd(T* a, U v) { std::lock_guard<std::mutex> g(emu_mutex); T old = *a; *a += v; return old; }
