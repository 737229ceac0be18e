// Grey morphology (erosion / dilation, and the opening / closing built from them on the host) for every element type
// (bool as uint8): the minimum or maximum over a flat footprint, as Scoped.Image's Kernels/MinMax.cs.
//
// Launches (all LaunchShape.Covering(width, height), 32 x 8 blocks, one thread per output pixel):
// - morph_tile_*: any footprint. The block first copies its tile (32 + footprint width - 1) x (8 + footprint height
//   - 1) into dynamic shared memory, boundary applied while loading, then each thread takes the min/max of the
//   footprint's elements from the tile. Traffic per pixel: the tile's share of reads (about (1 + (fw - 1) / 32) *
//   (1 + (fh - 1) / 8) elements, cached) and 1 write; shared-memory reads: one per footprint element.
// - morph_rows_* then morph_cols_*: a full rectangle, separably (ny reads per pixel down a column, then nx along a
//   row, all neighbours of the warp's reads, so mostly cache hits); per pixel 2 DRAM reads and 2 writes in all.
// - morph_window_*: copies a window of an image with coordinates clamped into it: edge padding (np.pad 'edge') before
//   an even-footprint opening / closing, and the crop after it. 1 read and 1 write per pixel.
//
// The op is MinOp/MaxOp of the CPU: op(acc, v) = v < acc ? v : acc (min), v > acc ? v : acc (max); exact for every
// value, NaN handling unspecified as in ndimage. Outside the image the boundary mode picks the pixel, or cval.
#include "scoped_common.cuh"
#include "scoped_types.cuh"

SCOPED_DYNAMIC_SHARED(double, morph_shared);   // double: aligned for every element type

template <bool Max, typename T> __device__ __forceinline__ T morph_op(T acc, T v)
{
    return Max ? (v > acc ? v : acc) : (v < acc ? v : acc);
}

template <typename T>
__device__ __forceinline__ T morph_at(const T* __restrict__ src, int y, int x, int w, int h, int mode, T cval)
{
    int yy = scoped_map(y, h, mode), xx = scoped_map(x, w, mode);
    return (yy < 0 || xx < 0) ? cval : __ldg(src + (long long)yy * w + xx);
}

// offsets: count pairs (row, column) of footprint elements relative to the tile's origin, which is the block's first
// output pixel moved by (dyMin, dxMin), the footprint's smallest row and column offsets.
template <bool Max, typename T>
__device__ void morph_tile(const T* __restrict__ src, T* __restrict__ dst, int w, int h, const int* __restrict__ offsets,
                           int count, int dyMin, int dxMin, int tileW, int tileH, int mode, T cval)
{
    T* tile = reinterpret_cast<T*>(morph_shared);
    int originY = (int)(blockIdx.y * blockDim.y) + dyMin, originX = (int)(blockIdx.x * blockDim.x) + dxMin;
    int threads = (int)(blockDim.x * blockDim.y), tid = (int)(threadIdx.y * blockDim.x + threadIdx.x);
    for (int i = tid; i < tileW * tileH; i += threads)
        tile[i] = morph_at(src, originY + i / tileW, originX + i % tileW, w, h, mode, cval);
    __syncthreads();
    int x = scoped_x(), y = scoped_y();
    if (x >= w || y >= h) return;
    const T* base = tile + threadIdx.y * tileW + threadIdx.x;
    T acc = base[__ldg(offsets) * tileW + __ldg(offsets + 1)];
    for (int k = 1; k < count; k++) acc = morph_op<Max>(acc, base[__ldg(offsets + 2 * k) * tileW + __ldg(offsets + 2 * k + 1)]);
    dst[(long long)y * w + x] = acc;
}

// Rows y + dy0 .. y + dy0 + ny - 1 of column x.
template <bool Max, typename T>
__device__ void morph_rows(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int dy0, int ny, int mode, T cval)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= w || y >= h) return;
    T acc = morph_at(src, y + dy0, x, w, h, mode, cval);
    for (int k = 1; k < ny; k++) acc = morph_op<Max>(acc, morph_at(src, y + dy0 + k, x, w, h, mode, cval));
    dst[(long long)y * w + x] = acc;
}

// Columns x + dx0 .. x + dx0 + nx - 1 of row y.
template <bool Max, typename T>
__device__ void morph_cols(const T* __restrict__ src, T* __restrict__ dst, int w, int h, int dx0, int nx, int mode, T cval)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= w || y >= h) return;
    T acc = morph_at(src, y, x + dx0, w, h, mode, cval);
    for (int k = 1; k < nx; k++) acc = morph_op<Max>(acc, morph_at(src, y, x + dx0 + k, w, h, mode, cval));
    dst[(long long)y * w + x] = acc;
}

// dst (dw x dh) pixel (y, x) = src pixel (y + oy, x + ox), both clamped into the source (sw x sh).
template <typename T>
__device__ void morph_window(const T* __restrict__ src, int sw, int sh, T* __restrict__ dst, int dw, int dh, int oy, int ox)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= dw || y >= dh) return;
    int sy = scoped_clamp_index(y + oy, sh), sx = scoped_clamp_index(x + ox, sw);
    dst[(long long)y * dw + x] = __ldg(src + (long long)sy * sw + sx);
}

// cval arrives as a double holding the value already converted to the image type (exact for every type).
#define SCOPED_MORPH_OP_ENTRIES(T, S, OP, MAX)                                                                          \
    extern "C" __global__ void morph_tile_##OP##_##S(const T* __restrict__ src, T* __restrict__ dst, int w, int h,     \
        const int* __restrict__ offsets, int count, int dyMin, int dxMin, int tileW, int tileH, int mode, double cval) \
    { morph_tile<MAX, T>(src, dst, w, h, offsets, count, dyMin, dxMin, tileW, tileH, mode, (T)cval); }                 \
    extern "C" __global__ void morph_rows_##OP##_##S(const T* __restrict__ src, T* __restrict__ dst, int w, int h,     \
        int dy0, int ny, int mode, double cval) { morph_rows<MAX, T>(src, dst, w, h, dy0, ny, mode, (T)cval); }        \
    extern "C" __global__ void morph_cols_##OP##_##S(const T* __restrict__ src, T* __restrict__ dst, int w, int h,     \
        int dx0, int nx, int mode, double cval) { morph_cols<MAX, T>(src, dst, w, h, dx0, nx, mode, (T)cval); }

#define SCOPED_MORPH_ENTRIES(T, S)                                                                                      \
    SCOPED_MORPH_OP_ENTRIES(T, S, min, false)                                                                           \
    SCOPED_MORPH_OP_ENTRIES(T, S, max, true)                                                                            \
    extern "C" __global__ void morph_window_##S(const T* __restrict__ src, int sw, int sh, T* __restrict__ dst,        \
        int dw, int dh, int oy, int ox) { morph_window<T>(src, sw, sh, dst, dw, dh, oy, ox); }

SCOPED_MORPH_ENTRIES(unsigned char, u8)
SCOPED_MORPH_ENTRIES(unsigned short, u16)
SCOPED_MORPH_ENTRIES(int, i32)
SCOPED_MORPH_ENTRIES(float, f32)
SCOPED_MORPH_ENTRIES(double, f64)
