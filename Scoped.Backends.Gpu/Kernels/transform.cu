// Geometry: resize as two resampling passes over per-axis tables (Scoped.Image's AxisPlan: the anti-aliasing
// Gaussian and the bilinear zoom folded into one table per axis, with every boundary rule), the bilinear affine /
// projective warp (rotate, warp), and scikit-image's output clipping with the device's own min / max.
// float32, C order, channels interleaved (never mixed). Host side: Kernels/TransformKernels.cs.
//
// Launch geometry and memory traffic per output element (float32 = 4 bytes):
// - scoped_resample_axis0: 32 x 8 threads over (row length, output rows); reads `taps` input rows per output row
//   (4 * taps bytes, mostly cache hits between neighbouring output rows when shrinking: ~4 * in/out bytes from
//   DRAM), writes 4. The tables (start, weights, constant) are tiny and cached.
// - scoped_resample_axis1: 32 x 8 threads over (output row length, rows); reads 4 * taps bytes (neighbouring
//   outputs share them in cache), writes 4.
// - scoped_warp_linear: 32 x 8 threads over the output pixels; reads the 4 neighbours (~4 bytes per pixel from DRAM
//   for a rotation, the rest cache hits), writes 4 bytes per channel.
// - scoped_minmax_partial: SCOPED_REDUCE_BLOCKS blocks of 256 threads, grid-stride: reads 4 bytes per element,
//   writes 8 bytes per block; scoped_minmax_final: one block. scoped_clip: 256-thread blocks, reads and writes 4.
#include "scoped_common.cuh"

#define SCOPED_REDUCE_BLOCK 256
// +inf without math.h (NVRTC does not define INFINITY)
#define SCOPED_INF __int_as_float(0x7f800000)

// Output row o along axis 0: dst[o][e] = constant[o] cval + sum_k weights[o * taps + k] src[start[o] + k][e]
// (zero weights skipped, as the CPU skips them: 0 x inf would give NaN).
extern "C" __global__ void scoped_resample_axis0(const float* src, float* dst, int rowLength, int outRows,
    const int* start, const float* weights, const float* constant, int taps, float cval)
{
    int e = scoped_x(), o = scoped_y();
    if (e >= rowLength || o >= outRows) return;
    const float* w = weights + (long long)o * taps;
    const float* column = src + (long long)start[o] * rowLength + e;
    float acc = __fmul_rn(constant[o], cval);
    for (int k = 0; k < taps; k++)
        if (w[k] != 0.0f) acc = __fmaf_rn(w[k], __ldg(column + (long long)k * rowLength), acc);
    dst[(long long)o * rowLength + e] = acc;
}

// Output pixel o of each row along axis 1: dst[y][o][c] = constant[o] cval + sum_k weights[o * taps + k] src[y][start[o] + k][c].
extern "C" __global__ void scoped_resample_axis1(const float* src, float* dst, int rows, int inWidth, int outWidth, int channels,
    const int* start, const float* weights, const float* constant, int taps, float cval)
{
    int e = scoped_x(), y = scoped_y();
    if (e >= outWidth * channels || y >= rows) return;
    int o = e / channels, c = e % channels;
    const float* w = weights + (long long)o * taps;
    const float* pixel = src + ((long long)y * inWidth + start[o]) * channels + c;
    float acc = __fmul_rn(constant[o], cval);
    for (int k = 0; k < taps; k++)
        if (w[k] != 0.0f) acc = __fmaf_rn(w[k], __ldg(pixel + (long long)k * channels), acc);
    dst[((long long)y * outWidth + o) * channels + c] = acc;
}

// A far or non-finite source index, reduced by whole periods first as Scoped.Image's AffineWarp.MapLong does.
__device__ __forceinline__ int scoped_map_long(long long i, int n, int mode)
{
    if (i >= 0 && i < n) return (int)i;
    if (mode == SCOPED_CONSTANT) return -1;
    if (mode == SCOPED_NEAREST) return i < 0 ? 0 : n - 1;
    // each mode's own period: wrap n, reflect (half-sample) 2n, mirror 2n - 2
    long long period = mode == SCOPED_WRAP ? (long long)n : mode == SCOPED_REFLECT ? 2LL * n : (n == 1 ? 1LL : 2LL * n - 2);
    return scoped_map((int)(i % period), n, mode);
}

__device__ __forceinline__ float scoped_warp_pixel(const float* src, long long r, long long c, int k, int rows, int cols, int channels, int mode, float cval)
{
    if (mode == SCOPED_CONSTANT)
        return r < 0 || r >= rows || c < 0 || c >= cols ? cval : __ldg(src + (r * cols + c) * channels + k);
    int rr = scoped_map_long(r, rows, mode), cc = scoped_map_long(c, cols, mode);
    return __ldg(src + ((long long)rr * cols + cc) * channels + k);
}

// scikit-image's _warp_fast, order 1, as Scoped.Image's AffineWarp.Linear: source coordinates in float32 from the
// row-major 3x3 matrix h (x = column, y = row) in the CPU's order of operations, bilinear between floor and ceil,
// the last blend in float64. kind: 0 metric (h1 = h3 = 0), 1 affine, 2 projective.
extern "C" __global__ void scoped_warp_linear(const float* src, float* dst, int rows, int cols, int channels, int outRows, int outCols,
    float h0, float h1, float h2, float h3, float h4, float h5, float h6, float h7, float h8, int kind, int mode, float cval)
{
    int c = scoped_x(), r = scoped_y();
    if (c >= outCols || r >= outRows) return;
    float x = (float)c, y = (float)r;
    float colX = __fmul_rn(h0, x), colY = __fmul_rn(h3, x);
    float rowX = __fmul_rn(h1, y), rowY = __fmul_rn(h4, y);
    float sx, sy;
    if (kind == 0) { sx = __fadd_rn(colX, h2); sy = __fadd_rn(rowY, h5); }
    else if (kind == 1) { sx = __fadd_rn(__fadd_rn(colX, rowX), h2); sy = __fadd_rn(__fadd_rn(colY, rowY), h5); }
    else
    {
        float z = __fadd_rn(__fadd_rn(__fmul_rn(h6, x), __fmul_rn(h7, y)), h8);
        sx = __fdiv_rn(__fadd_rn(__fadd_rn(colX, rowX), h2), z);
        sy = __fdiv_rn(__fadd_rn(__fadd_rn(colY, rowY), h5), z);
    }
    float fr = floorf(sy), fc = floorf(sx);
    long long minr = fr >= -1e9f && fr <= 1e9f ? (long long)fr : -2000000000LL;
    long long minc = fc >= -1e9f && fc <= 1e9f ? (long long)fc : -2000000000LL;
    float dr = __fsub_rn(sy, (float)minr), dc = __fsub_rn(sx, (float)minc);
    long long maxr = ceilf(sy) == fr ? minr : minr + 1;
    long long maxc = ceilf(sx) == fc ? minc : minc + 1;
    bool inside = minr >= 0 && minr < rows - 1 && minc >= 0 && minc < cols - 1;
    float* out = dst + ((long long)r * outCols + c) * channels;
    for (int k = 0; k < channels; k++)
    {
        float tl, tr, bl, br;
        if (inside)
        {
            tl = __ldg(src + (minr * cols + minc) * channels + k);
            tr = __ldg(src + (minr * cols + maxc) * channels + k);
            bl = __ldg(src + (maxr * cols + minc) * channels + k);
            br = __ldg(src + (maxr * cols + maxc) * channels + k);
        }
        else
        {
            tl = scoped_warp_pixel(src, minr, minc, k, rows, cols, channels, mode, cval);
            tr = scoped_warp_pixel(src, minr, maxc, k, rows, cols, channels, mode, cval);
            bl = scoped_warp_pixel(src, maxr, minc, k, rows, cols, channels, mode, cval);
            br = scoped_warp_pixel(src, maxr, maxc, k, rows, cols, channels, mode, cval);
        }
        float top = __fadd_rn(__fmul_rn(__fsub_rn(1.0f, dc), tl), __fmul_rn(dc, tr));
        float bottom = __fadd_rn(__fmul_rn(__fsub_rn(1.0f, dc), bl), __fmul_rn(dc, br));
        out[k] = (float)__dadd_rn(__dmul_rn((double)__fsub_rn(1.0f, dr), (double)top), __dmul_rn((double)dr, (double)bottom));
    }
}

// NaN-ignoring min and max, stage 1: each block folds its grid-stride share into partials[2 * block] (min, max).
// fminf / fmaxf return the other operand when one is NaN; an all-NaN share leaves (+inf, -inf). With nan_poisons
// a share holding NaN writes (NaN, NaN) instead, as np.min/np.max give.
extern "C" __global__ void scoped_minmax_partial(const float* values, long long n, float* partials, int nan_poisons)
{
    __shared__ float lo[SCOPED_REDUCE_BLOCK];
    __shared__ float hi[SCOPED_REDUCE_BLOCK];
    __shared__ int poisoned;
    if (threadIdx.x == 0) poisoned = 0;
    __syncthreads();
    float l = SCOPED_INF, h = -SCOPED_INF;
    int nan = 0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    {
        float v = values[i];
        nan |= v != v;
        l = fminf(l, v);
        h = fmaxf(h, v);
    }
    if (nan_poisons && nan) poisoned = 1;
    lo[threadIdx.x] = l;
    hi[threadIdx.x] = h;
    __syncthreads();
    for (int half = (int)blockDim.x / 2; half > 0; half /= 2)
    {
        if ((int)threadIdx.x < half)
        {
            lo[threadIdx.x] = fminf(lo[threadIdx.x], lo[threadIdx.x + half]);
            hi[threadIdx.x] = fmaxf(hi[threadIdx.x], hi[threadIdx.x + half]);
        }
        __syncthreads();
    }
    if (threadIdx.x == 0)
    {
        float nanValue = __int_as_float(0x7fc00000);
        partials[2 * blockIdx.x] = poisoned ? nanValue : lo[0];
        partials[2 * blockIdx.x + 1] = poisoned ? nanValue : hi[0];
    }
}

// Stage 2, one block: range[2 * slot] = min, range[2 * slot + 1] = max of the `blocks` partial pairs; (NaN, NaN)
// when a partial is NaN (only a nan_poisons stage 1 writes one).
extern "C" __global__ void scoped_minmax_final(const float* partials, int blocks, float* range, int slot)
{
    __shared__ float lo[SCOPED_REDUCE_BLOCK];
    __shared__ float hi[SCOPED_REDUCE_BLOCK];
    __shared__ int poisoned;
    if (threadIdx.x == 0) poisoned = 0;
    __syncthreads();
    float l = SCOPED_INF, h = -SCOPED_INF;
    int nan = 0;
    for (int i = threadIdx.x; i < blocks; i += blockDim.x)
    {
        float a = partials[2 * i];
        nan |= a != a;
        l = fminf(l, a);
        h = fmaxf(h, partials[2 * i + 1]);
    }
    if (nan) poisoned = 1;
    lo[threadIdx.x] = l;
    hi[threadIdx.x] = h;
    __syncthreads();
    for (int half = (int)blockDim.x / 2; half > 0; half /= 2)
    {
        if ((int)threadIdx.x < half)
        {
            lo[threadIdx.x] = fminf(lo[threadIdx.x], lo[threadIdx.x + half]);
            hi[threadIdx.x] = fmaxf(hi[threadIdx.x], hi[threadIdx.x + half]);
        }
        __syncthreads();
    }
    if (threadIdx.x == 0)
    {
        float nanValue = __int_as_float(0x7fc00000);
        range[2 * slot] = poisoned ? nanValue : lo[0];
        range[2 * slot + 1] = poisoned ? nanValue : hi[0];
    }
}

// scikit-image's _clip_warp_output on the device: clip to the input's range range[0..1]; in constant mode, a cval
// outside it that lies within the output's range range[2..3] (computed before clipping) widens it.
extern "C" __global__ void scoped_clip(float* values, long long n, const float* range, int constantMode, float cval)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float lo = range[0], hi = range[1];
    if (lo != lo) return; // np.clip to NaN bounds leaves every value as it is
    if (constantMode && !(lo <= cval && cval <= hi) && range[2] <= cval && cval <= range[3])
    {
        lo = fminf(lo, cval);
        hi = fmaxf(hi, cval);
    }
    float v = values[i];
    values[i] = v < lo ? lo : v > hi ? hi : v;
}
