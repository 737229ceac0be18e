// Median filters (filters.median, 3x3 and 5x5 square footprints), for every element type (bool as uint8).
//
// Launch: LaunchShape.Covering(width, height) with 32 x 8 blocks, one thread per output pixel, no shared memory.
// Traffic per pixel: 9 (3x3) or 25 (5x5) element reads, almost all served by L1/L2 since neighbouring threads read
// the same rows, so about 1 element read and 1 written from DRAM; the selection network runs in registers.
//
// Semantics as Scoped.Image's Kernels/Median.cs: the window is centred at (1, 1) / (2, 2); outside the image the
// boundary mode picks the pixel (scoped_map), or cval in constant mode. The networks are the CPU's portable SIMD ones
// with the same operand order, and min/max are x86 minps/maxps ((a < b) ? a : b): with NaN in a window the result
// is what the CPU's vector path gives (NaN results are unspecified in scipy as well).
#include "scoped_common.cuh"

template <typename T> __device__ __forceinline__ T rank_min(T a, T b) { return a < b ? a : b; }
template <typename T> __device__ __forceinline__ T rank_max(T a, T b) { return a > b ? a : b; }
template <typename T> __device__ __forceinline__ T rank_med3(T a, T b, T c) { return rank_max(rank_min(a, b), rank_min(rank_max(a, b), c)); }

// Pixel (y, x) with the boundary rule; `inside` skips the mapping for windows wholly in the image.
template <typename T>
__device__ __forceinline__ T rank_at(const T* __restrict__ src, int y, int x, int w, int h, int mode, T cval, bool inside)
{
    if (inside) return __ldg(src + (long long)y * w + x);
    int yy = scoped_map(y, h, mode), xx = scoped_map(x, w, mode);
    return (yy < 0 || xx < 0) ? cval : __ldg(src + (long long)yy * w + xx);
}

// The CPU's Sort3 of one column (rows y - 1, y, y + 1) into low, middle, high.
template <typename T>
__device__ __forceinline__ void rank_sort3(T a, T b, T c, T& lo, T& mid, T& hi)
{
    T min1 = rank_min(a, b), max1 = rank_max(a, b);
    T t = rank_max(min1, c);
    lo = rank_min(min1, c);
    hi = rank_max(max1, t);
    mid = rank_min(max1, t);
}

template <typename T>
__device__ void median3x3(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int mode, T cval)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= w || y >= h) return;
    bool inside = x >= 1 && y >= 1 && x + 1 < w && y + 1 < h;
    T lo0, mid0, hi0, lo1, mid1, hi1, lo2, mid2, hi2;
    rank_sort3(rank_at(src, y - 1, x - 1, w, h, mode, cval, inside), rank_at(src, y, x - 1, w, h, mode, cval, inside),
               rank_at(src, y + 1, x - 1, w, h, mode, cval, inside), lo0, mid0, hi0);
    rank_sort3(rank_at(src, y - 1, x, w, h, mode, cval, inside), rank_at(src, y, x, w, h, mode, cval, inside),
               rank_at(src, y + 1, x, w, h, mode, cval, inside), lo1, mid1, hi1);
    rank_sort3(rank_at(src, y - 1, x + 1, w, h, mode, cval, inside), rank_at(src, y, x + 1, w, h, mode, cval, inside),
               rank_at(src, y + 1, x + 1, w, h, mode, cval, inside), lo2, mid2, hi2);
    T maxLo = rank_max(rank_max(lo0, lo1), lo2);
    T minHi = rank_min(rank_min(hi0, hi1), hi2);
    dst[(long long)y * w + x] = rank_med3(maxLo, rank_med3(mid0, mid1, mid2), minHi);
}

// Forgetful selection over the 25 window values in row-major order, as the CPU's Median25: keep 14, move the smallest
// to v[0] and the largest to v[m - 1], drop both by loading the next value into v[0], until three are left.
template <typename T>
__device__ void median5x5(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int mode, T cval)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= w || y >= h) return;
    bool inside = x >= 2 && y >= 2 && x + 2 < w && y + 2 < h;
    T v[14];
#pragma unroll
    for (int k = 0; k < 14; k++) v[k] = rank_at(src, y - 2 + k / 5, x - 2 + k % 5, w, h, mode, cval, inside);
#pragma unroll
    for (int m = 14; m > 3; m--)
    {
#pragma unroll
        for (int k = 1; k < m; k++) { T t = rank_min(v[0], v[k]); v[k] = rank_max(v[0], v[k]); v[0] = t; }
#pragma unroll
        for (int k = 1; k < m - 1; k++) { T t = rank_min(v[k], v[m - 1]); v[m - 1] = rank_max(v[k], v[m - 1]); v[k] = t; }
        int next = 14 + (14 - m);   // 14 .. 24
        v[0] = rank_at(src, y - 2 + next / 5, x - 2 + next % 5, w, h, mode, cval, inside);
    }
    dst[(long long)y * w + x] = rank_med3(v[0], v[1], v[2]);
}

// cval arrives as a double holding the value already converted to the image type on the host (exact for every type).
#define SCOPED_RANK_ENTRIES(T, S)                                                                                      \
    extern "C" __global__ void median3x3_##S(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int mode,   \
                                             double cval) { median3x3<T>(src, dst, w, h, mode, (T)cval); }             \
    extern "C" __global__ void median5x5_##S(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int mode,   \
                                             double cval) { median5x5<T>(src, dst, w, h, mode, (T)cval); }

SCOPED_RANK_ENTRIES(unsigned char, u8)
SCOPED_RANK_ENTRIES(unsigned short, u16)
SCOPED_RANK_ENTRIES(int, i32)
SCOPED_RANK_ENTRIES(float, f32)
SCOPED_RANK_ENTRIES(double, f64)
