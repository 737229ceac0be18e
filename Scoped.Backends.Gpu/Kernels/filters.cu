// Linear filters: separable correlation (gaussian, the one-direction edge filters, SSIM's moments), the fused 3x3
// edge magnitude (sobel / scharr / prewitt), laplace, the eroded-mask step, and SSIM's pointwise formula and mean.
// Images are float32, C order; an image with channels is (rows, cols, channels) with the channels interleaved:
// every pass works on elements and never mixes channels. Host side: Kernels/FilterKernels.cs.
//
// Launch geometry and memory traffic per output element (float32 = 4 bytes), for comparison with copy bandwidth:
// - scoped_sep_axis0_{f,d}: blocks of 32 x 8 threads; a block makes 32 columns x 64 rows of output, loading its tile
//   of (64 + 2r) rows x 32 columns into shared memory once (dynamic: (64 + 2r) * 32 * 4 bytes). Reads 4 * (1 + 2r/64),
//   writes 4 bytes per element.
// - scoped_sep_axis1_{f,d}: blocks of 256 threads, one row segment of 256 pixels (x channels) per block; the
//   segment plus r pixels of halo on each side goes to shared memory once ((256 + 2r) * channels * 4 bytes). Reads
//   4 * (1 + 2r/256), writes 4 bytes per element. A gaussian is one axis-0 pass and one axis-1 pass: ~16 bytes per
//   element in all (plus the halo).
// - scoped_sep_direct_{f,d}: the fallback for radii whose tile would not fit in 48 kB of shared memory: one thread
//   per element, taps read through the read-only cache (~4 bytes from DRAM per element when the window stays cached).
// - scoped_edge_magnitude, scoped_laplace: 32 x 8 threads, one thread per pixel, the 3x3 neighbourhood read through
//   the read-only cache: ~4 bytes read (neighbours are cache hits) and 4 written per pixel.
// - scoped_eroded_mask: 32 x 8 threads, one per pixel: reads 9 mask bytes (cached) and the value, writes 4 bytes.
// - scoped_ssim_products: 256-thread blocks, one element each: reads 8, writes 12 bytes.
// - scoped_ssim_map: 256-thread blocks: reads 20, writes 4 bytes per element.
// - scoped_ssim_sum_partial / scoped_ssim_sum_final: blocks of 256 threads, grid (SCOPED_SSIM_BLOCKS, channels),
//   grid-stride over the interior; reads 4 bytes per interior element; one double per block, then per channel.
#include "scoped_common.cuh"

#define SCOPED_SEP_AXIS0_COLS 32
#define SCOPED_SEP_AXIS0_THREAD_ROWS 8
#define SCOPED_SEP_AXIS0_ROWS 64
#define SCOPED_SEP_AXIS1_PIXELS 256
#define SCOPED_SSIM_BLOCK 256

// ---------------------------------------------------------------- tap sums

// Scoped.Image's Separable order in float32: a symmetric kernel as w[r] x[r] then fma(x[r - j] + x[r + j], w[r + j])
// for j = 1..r; otherwise w[0] x[0] then fma(x[k], w[k]) for k = 1..n-1. p points at the first tap, step apart.
__device__ __forceinline__ float scoped_taps_f(const float* p, int step, const float* w, int n, int symmetric)
{
    int r = n / 2;
    if (symmetric)
    {
        float acc = __fmul_rn(p[r * step], w[r]);
        for (int j = 1; j <= r; j++) acc = __fmaf_rn(__fadd_rn(p[(r - j) * step], p[(r + j) * step]), w[r + j], acc);
        return acc;
    }
    float acc = __fmul_rn(p[0], w[0]);
    for (int k = 1; k < n; k++) acc = __fmaf_rn(p[k * step], w[k], acc);
    return acc;
}

// scipy.ndimage.correlate1d's order for a symmetric kernel (Correlate1D in Scoped.Image): float64 sums, the centre
// tap first, then the pairs from the outermost in, unfused; the result rounded to float32 as ndimage stores it.
__device__ __forceinline__ float scoped_taps_d(const float* p, int step, const double* w, int n)
{
    int r = n / 2;
    double acc = __dmul_rn((double)p[r * step], w[r]);
    for (int j = r; j >= 1; j--)
        acc = __dadd_rn(acc, __dmul_rn(__dadd_rn((double)p[(r - j) * step], (double)p[(r + j) * step]), w[r - j]));
    return (float)acc;
}

__device__ __forceinline__ float scoped_taps(const float* p, int step, const float* w, int n, int symmetric) { return scoped_taps_f(p, step, w, n, symmetric); }
__device__ __forceinline__ float scoped_taps(const float* p, int step, const double* w, int n, int symmetric) { (void)symmetric; return scoped_taps_d(p, step, w, n); }

// ---------------------------------------------------------------- separable passes

// Axis 0 (down the columns): dst[y][e] = sum_k w[k] src[map(y + k - r)][e], e over rowLength = cols * channels.
// Block (32, 8): the tile is rows [y0 - r, y0 + 64 + r) x elements [e0, e0 + 32), loaded once into shared memory.
template <typename W>
__device__ void scoped_sep_axis0(const float* __restrict__ src, float* __restrict__ dst, int height, int rowLength,
    const W* __restrict__ w, int n, int symmetric, int mode, float cval)
{
    extern __shared__ float tile[];
    int r = n / 2;
    int tx = threadIdx.x, ty = threadIdx.y;
    int e = blockIdx.x * SCOPED_SEP_AXIS0_COLS + tx;
    int y0 = blockIdx.y * SCOPED_SEP_AXIS0_ROWS;
    int tileRows = SCOPED_SEP_AXIS0_ROWS + 2 * r;
    for (int i = ty; i < tileRows; i += SCOPED_SEP_AXIS0_THREAD_ROWS)
    {
        float v = cval;
        if (e < rowLength)
        {
            int m = scoped_map(y0 - r + i, height, mode);
            if (m >= 0) v = __ldg(src + (long long)m * rowLength + e);
        }
        tile[i * SCOPED_SEP_AXIS0_COLS + tx] = v;
    }
    __syncthreads();
    if (e >= rowLength) return;
    for (int local = ty; local < SCOPED_SEP_AXIS0_ROWS; local += SCOPED_SEP_AXIS0_THREAD_ROWS)
    {
        int y = y0 + local;
        if (y >= height) break;
        dst[(long long)y * rowLength + e] = scoped_taps(tile + local * SCOPED_SEP_AXIS0_COLS + tx, SCOPED_SEP_AXIS0_COLS, w, n, symmetric);
    }
}

// Axis 1 (along the rows): dst[y][x][c] = sum_k w[k] src[y][map(x + k - r)][c]. One block of 256 threads per
// 256-pixel segment of one row (grid.y strides over rows); the segment and its halo are loaded once.
template <typename W>
__device__ void scoped_sep_axis1(const float* __restrict__ src, float* __restrict__ dst, int height, int width, int channels,
    const W* __restrict__ w, int n, int symmetric, int mode, float cval)
{
    extern __shared__ float tile[];
    int r = n / 2;
    int x0 = blockIdx.x * SCOPED_SEP_AXIS1_PIXELS;
    int tileElements = (SCOPED_SEP_AXIS1_PIXELS + 2 * r) * channels;
    int segmentElements = SCOPED_SEP_AXIS1_PIXELS * channels;
    long long rowLength = (long long)width * channels;
    for (int y = blockIdx.y; y < height; y += gridDim.y)
    {
        const float* row = src + y * rowLength;
        for (int i = threadIdx.x; i < tileElements; i += blockDim.x)
        {
            int m = scoped_map(x0 - r + i / channels, width, mode);
            tile[i] = m < 0 ? cval : __ldg(row + (long long)m * channels + i % channels);
        }
        __syncthreads();
        for (int i = threadIdx.x; i < segmentElements; i += blockDim.x)
        {
            int x = x0 + i / channels;
            if (x < width) dst[y * rowLength + (long long)x * channels + i % channels] = scoped_taps(tile + i, channels, w, n, symmetric);
        }
        __syncthreads();   // the next row reuses the tile
    }
}

// The fallback for very long kernels: one thread per element, taps read straight from global memory.
template <typename W>
__device__ void scoped_sep_direct(const float* __restrict__ src, float* __restrict__ dst, int height, int width, int channels,
    int axis, const W* __restrict__ w, int n, int symmetric, int mode, float cval)
{
    long long rowLength = (long long)width * channels;
    long long total = rowLength * height;
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= total) return;
    int y = (int)(i / rowLength);
    int e = (int)(i % rowLength);
    int x = e / channels, c = e % channels;
    int r = n / 2;
    // Each tap is read as it is needed, in the order scoped_taps_f / scoped_taps_d sum them.
    float pair[3];
    if (symmetric)
    {
        int mc = axis == 0 ? scoped_map(y, height, mode) : scoped_map(x, width, mode);
        float centre = mc < 0 ? cval : __ldg(axis == 0 ? src + (long long)mc * rowLength + e : src + y * rowLength + (long long)mc * channels + c);
        if (sizeof(W) == sizeof(float))
        {
            float acc = __fmul_rn(centre, (float)w[r]);
            for (int j = 1; j <= r; j++)
            {
                int ma = axis == 0 ? scoped_map(y - j, height, mode) : scoped_map(x - j, width, mode);
                int mb = axis == 0 ? scoped_map(y + j, height, mode) : scoped_map(x + j, width, mode);
                pair[0] = ma < 0 ? cval : __ldg(axis == 0 ? src + (long long)ma * rowLength + e : src + y * rowLength + (long long)ma * channels + c);
                pair[1] = mb < 0 ? cval : __ldg(axis == 0 ? src + (long long)mb * rowLength + e : src + y * rowLength + (long long)mb * channels + c);
                acc = __fmaf_rn(__fadd_rn(pair[0], pair[1]), (float)w[r + j], acc);
            }
            dst[i] = acc;
        }
        else
        {
            double acc = __dmul_rn((double)centre, (double)w[r]);
            for (int j = r; j >= 1; j--)
            {
                int ma = axis == 0 ? scoped_map(y - j, height, mode) : scoped_map(x - j, width, mode);
                int mb = axis == 0 ? scoped_map(y + j, height, mode) : scoped_map(x + j, width, mode);
                pair[0] = ma < 0 ? cval : __ldg(axis == 0 ? src + (long long)ma * rowLength + e : src + y * rowLength + (long long)ma * channels + c);
                pair[1] = mb < 0 ? cval : __ldg(axis == 0 ? src + (long long)mb * rowLength + e : src + y * rowLength + (long long)mb * channels + c);
                acc = __dadd_rn(acc, __dmul_rn(__dadd_rn((double)pair[0], (double)pair[1]), (double)w[r - j]));
            }
            dst[i] = (float)acc;
        }
        return;
    }
    float acc = 0.0f;
    for (int k = 0; k < n; k++)
    {
        int m = axis == 0 ? scoped_map(y + k - r, height, mode) : scoped_map(x + k - r, width, mode);
        pair[2] = m < 0 ? cval : __ldg(axis == 0 ? src + (long long)m * rowLength + e : src + y * rowLength + (long long)m * channels + c);
        acc = k == 0 ? __fmul_rn(pair[2], (float)w[0]) : __fmaf_rn(pair[2], (float)w[k], acc);
    }
    dst[i] = acc;
}

extern "C" __global__ void scoped_sep_axis0_f(const float* src, float* dst, int height, int rowLength, const float* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_axis0<float>(src, dst, height, rowLength, w, n, symmetric, mode, cval); }

extern "C" __global__ void scoped_sep_axis0_d(const float* src, float* dst, int height, int rowLength, const double* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_axis0<double>(src, dst, height, rowLength, w, n, symmetric, mode, cval); }

extern "C" __global__ void scoped_sep_axis1_f(const float* src, float* dst, int height, int width, int channels, const float* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_axis1<float>(src, dst, height, width, channels, w, n, symmetric, mode, cval); }

extern "C" __global__ void scoped_sep_axis1_d(const float* src, float* dst, int height, int width, int channels, const double* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_axis1<double>(src, dst, height, width, channels, w, n, symmetric, mode, cval); }

extern "C" __global__ void scoped_sep_direct_f(const float* src, float* dst, int height, int width, int channels, int axis, const float* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_direct<float>(src, dst, height, width, channels, axis, w, n, symmetric, mode, cval); }

extern "C" __global__ void scoped_sep_direct_d(const float* src, float* dst, int height, int width, int channels, int axis, const double* w, int n, int symmetric, int mode, float cval)
{ scoped_sep_direct<double>(src, dst, height, width, channels, axis, w, n, symmetric, mode, cval); }

// ---------------------------------------------------------------- edges

__device__ __forceinline__ float scoped_at_or_zero(const float* src, int row, int col, int width)
{
    return row < 0 || col < 0 ? 0.0f : __ldg(src + (long long)row * width + col);
}

// The fused edge magnitude of Scoped.Image's Gradient: per column, diff = down - up and mean = mid b + (up + down) a;
// then h = diff[x] b + (diff[x-1] + diff[x+1]) a, v = mean[x+1] - mean[x-1], out = sqrt(h^2 + v^2) / sqrt(2).
// Zero beyond the edge in constant mode (scikit-image 0.19 ignores cval there). Unfused float operations, as the CPU.
extern "C" __global__ void scoped_edge_magnitude(const float* src, float* dst, int height, int width, int mode, float a, float b, float norm)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= width || y >= height) return;
    int yu = scoped_map(y - 1, height, mode), yd = scoped_map(y + 1, height, mode);
    int cols[3] = { scoped_map(x - 1, width, mode), x, scoped_map(x + 1, width, mode) };
    float diff[3], mean[3];
    for (int k = 0; k < 3; k++)
    {
        int c = cols[k];
        if (c < 0) { diff[k] = 0.0f; mean[k] = 0.0f; continue; }
        float up = scoped_at_or_zero(src, yu, c, width), mid = __ldg(src + (long long)y * width + c), down = scoped_at_or_zero(src, yd, c, width);
        diff[k] = __fsub_rn(down, up);
        mean[k] = __fadd_rn(__fmul_rn(mid, b), __fmul_rn(__fadd_rn(up, down), a));
    }
    float h = __fadd_rn(__fmul_rn(diff[1], b), __fmul_rn(__fadd_rn(diff[0], diff[2]), a));
    float v = __fsub_rn(mean[2], mean[0]);
    dst[(long long)y * width + x] = __fdiv_rn(__fsqrt_rn(__fadd_rn(__fmul_rn(h, h), __fmul_rn(v, v))), norm);
}

// laplace (ksize 3, reflect): -up - left + 4 mid - right - down, summed in float64 in ndimage's tap order.
extern "C" __global__ void scoped_laplace(const float* src, float* dst, int height, int width)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= width || y >= height) return;
    int yu = scoped_map(y - 1, height, SCOPED_REFLECT), yd = scoped_map(y + 1, height, SCOPED_REFLECT);
    int xl = scoped_map(x - 1, width, SCOPED_REFLECT), xr = scoped_map(x + 1, width, SCOPED_REFLECT);
    const float* row = src + (long long)y * width;
    double sum = -(double)__ldg(src + (long long)yu * width + x);
    sum = __dsub_rn(sum, (double)__ldg(row + xl));
    sum = __dadd_rn(sum, __dmul_rn(4.0, (double)__ldg(row + x)));
    sum = __dsub_rn(sum, (double)__ldg(row + xr));
    sum = __dsub_rn(sum, (double)__ldg(src + (long long)yd * width + x));
    dst[(long long)y * width + x] = (float)sum;
}

// result *= binary_erosion(mask, 3x3, border 0): multiplied by zero (NaN stays NaN, as on the CPU) where the pixel is
// on the image border or any 3x3 neighbour is outside the mask. mask: one byte per pixel (bool or uint8).
extern "C" __global__ void scoped_eroded_mask(float* values, const unsigned char* mask, int height, int width)
{
    int x = scoped_x(), y = scoped_y();
    if (x >= width || y >= height) return;
    bool keep = y > 0 && y < height - 1 && x > 0 && x < width - 1;
    for (int dy = -1; keep && dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            if (__ldg(mask + (long long)(y + dy) * width + x + dx) == 0) { keep = false; break; }
    if (!keep) values[(long long)y * width + x] *= 0.0f;
}

// ---------------------------------------------------------------- SSIM

extern "C" __global__ void scoped_ssim_products(const float* x, const float* y, float* xx, float* yy, float* xy, long long n)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float a = x[i], b = y[i];
    xx[i] = __fmul_rn(a, a);
    yy[i] = __fmul_rn(b, b);
    xy[i] = __fmul_rn(a, b);
}

// S = (2 ux uy + C1)(2 vxy + C2) / ((ux^2 + uy^2 + C1)(vx + vy + C2)), each operation in float32 in NumPy's order.
extern "C" __global__ void scoped_ssim_map(const float* ux, const float* uy, const float* uxx, const float* uyy, const float* uxy,
    float* s, long long n, float covNorm, float c1, float c2)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float mx = ux[i], my = uy[i];
    float vx = __fmul_rn(covNorm, __fsub_rn(uxx[i], __fmul_rn(mx, mx)));
    float vy = __fmul_rn(covNorm, __fsub_rn(uyy[i], __fmul_rn(my, my)));
    float vxy = __fmul_rn(covNorm, __fsub_rn(uxy[i], __fmul_rn(mx, my)));
    float a1 = __fadd_rn(__fmul_rn(__fmul_rn(2.0f, mx), my), c1);
    float a2 = __fadd_rn(__fmul_rn(2.0f, vxy), c2);
    float b1 = __fadd_rn(__fadd_rn(__fmul_rn(mx, mx), __fmul_rn(my, my)), c1);
    float b2 = __fadd_rn(__fadd_rn(vx, vy), c2);
    s[i] = __fdiv_rn(__fmul_rn(a1, a2), __fmul_rn(b1, b2));
}

// Per block and channel (blockIdx.y): the float64 sum of S over the interior (rows and columns [pad, n - pad)),
// grid-stride over the interior's elements of that channel. partials[channel * gridDim.x + block].
extern "C" __global__ void scoped_ssim_sum_partial(const float* s, int height, int width, int channels, int pad, double* partials)
{
    __shared__ double sums[SCOPED_SSIM_BLOCK];
    int channel = blockIdx.y;
    int innerW = width - 2 * pad, innerH = height - 2 * pad;
    long long count = (long long)innerW * innerH;
    double acc = 0.0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += (long long)gridDim.x * blockDim.x)
    {
        long long row = pad + i / innerW, col = pad + i % innerW;
        acc += (double)s[(row * width + col) * channels + channel];
    }
    sums[threadIdx.x] = acc;
    __syncthreads();
    for (int half = (int)blockDim.x / 2; half > 0; half /= 2)
    {
        if ((int)threadIdx.x < half) sums[threadIdx.x] += sums[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[channel * gridDim.x + blockIdx.x] = sums[0];
}

// One block per channel: sums[channel] = the sum of that channel's `blocks` partials.
extern "C" __global__ void scoped_ssim_sum_final(const double* partials, int blocks, double* sums)
{
    __shared__ double part[SCOPED_SSIM_BLOCK];
    int channel = blockIdx.x;
    double acc = 0.0;
    for (int i = threadIdx.x; i < blocks; i += blockDim.x) acc += partials[channel * blocks + i];
    part[threadIdx.x] = acc;
    __syncthreads();
    for (int half = (int)blockDim.x / 2; half > 0; half /= 2)
    {
        if ((int)threadIdx.x < half) part[threadIdx.x] += part[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) sums[channel] = part[0];
}
