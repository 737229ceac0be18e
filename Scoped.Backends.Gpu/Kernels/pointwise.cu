// Pointwise kernels: color.rgb2gray, exposure.rescale_intensity, and the last step of exposure.equalize_hist (the
// cdf lookup for integer images, np.interp for float images).
//
// Launch: LaunchShape.Linear(n) (256 threads a block), one thread per output element, no shared memory.
// Traffic per output element: rgb2gray 3 reads + 1 write; rescale 1 read + 1 write; equalize 1 read + 1 write plus a
// lookup in a table (256 or 65536 doubles, or the nbins bin centres) that stays in L1/L2.
//
// Arithmetic is rounded step by step exactly as Scoped.Image's CPU code does it (.NET never fuses a * b + c): the
// explicit __f*_rn / __d*_rn intrinsics keep the compiler from contracting into fused multiply-adds, so results are
// bit-identical to the CPU's.
#include "scoped_types.cuh"

// rgb2gray of a float32 (n, 3) image: ((R * wr) + G * wg) + B * wb, each step rounded in float32.
extern "C" __global__ void rgb2gray_f32(const float* __restrict__ rgb, float* __restrict__ dst, long long n, float wr, float wg, float wb)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* p = rgb + 3 * i;
    dst[i] = __fadd_rn(__fadd_rn(__fmul_rn(p[0], wr), __fmul_rn(p[1], wg)), __fmul_rn(p[2], wb));
}

// rgb2gray in float64 of any input type: integer types first go through img_as_float (max(v * scale, lowest), with
// scaled = 1), float64 is read as it is (scaled = 0).
extern "C" __global__ void rgb2gray_f64(const void* __restrict__ rgb, int type, int scaled, double scale, double lowest,
                                        double* __restrict__ dst, long long n, double wr, double wg, double wb)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    double c[3];
    for (int k = 0; k < 3; k++)
    {
        double v = scoped_load(rgb, 3 * i + k, type);
        c[k] = scaled ? scoped_ieee_max(__dmul_rn(v, scale), lowest) : v;
    }
    dst[i] = __dadd_rn(__dadd_rn(__dmul_rn(c[0], wr), __dmul_rn(c[1], wg)), __dmul_rn(c[2], wb));
}

// rescale_intensity, computed in float32 (float32 input): clip to [lo, hi] (NaN stays NaN), then
// (x - lo) / inSpan * outSpan + olo, or for an empty input range clip to [olo, ohi]; stored as outType.
extern "C" __global__ void rescale_f32(const float* __restrict__ src, void* __restrict__ dst, int outType, long long n,
                                       float lo, float hi, float olo, float ohi, float inSpan, float outSpan, int flat)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float x = scoped_ieee_min(scoped_ieee_max(src[i], lo), hi);
    float y = flat ? scoped_ieee_min(scoped_ieee_max(x, olo), ohi) : __fadd_rn(__fmul_rn(__fdiv_rn(__fsub_rn(x, lo), inSpan), outSpan), olo);
    scoped_store(dst, i, outType, (double)y);
}

// rescale_intensity computed in float64 (every other input type, read as double exactly).
extern "C" __global__ void rescale_f64(const void* __restrict__ src, int inType, void* __restrict__ dst, int outType, long long n,
                                       double lo, double hi, double olo, double ohi, double inSpan, double outSpan, int flat)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    double x = scoped_ieee_min(scoped_ieee_max(scoped_load(src, i, inType), lo), hi);
    // Double division is always correctly rounded in CUDA (it is never contracted either).
    double y = flat ? scoped_ieee_min(scoped_ieee_max(x, olo), ohi) : __dadd_rn(__dmul_rn(__dsub_rn(x, lo) / inSpan, outSpan), olo);
    scoped_store(dst, i, outType, y);
}

// equalize_hist of an integer image: out = lut[value], the table built on the host from the device histogram.
extern "C" __global__ void lookup_u8(const unsigned char* __restrict__ src, const double* __restrict__ lut, double* __restrict__ dst, long long n)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) dst[i] = __ldg(lut + src[i]);
}

extern "C" __global__ void lookup_u16(const unsigned short* __restrict__ src, const double* __restrict__ lut, double* __restrict__ dst, long long n)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) dst[i] = __ldg(lut + src[i]);
}

// np.interp(x, xp, fp) as HistogramKernels.InterpUniform: the interval from the uniform spacing, corrected against
// xp; slopes[j] = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]); computed in float64, stored in T.
template <typename T>
__device__ void interp(const T* __restrict__ src, T* __restrict__ dst, long long n, const double* __restrict__ xp,
                       const double* __restrict__ fp, const double* __restrict__ slopes, int count, double inverseStep)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    double x = (double)src[i], x0 = __ldg(xp), xLast = __ldg(xp + count - 1);
    double value;
    if (x >= x0 && x < xLast)
    {
        int jMax = count - 2 > 0 ? count - 2 : 0;
        int j = (int)__dmul_rn(__dsub_rn(x, x0), inverseStep);
        if (j > jMax) j = jMax;
        while (__ldg(xp + j) > x) j--;
        while (__ldg(xp + j + 1) <= x) j++;
        double xj = __ldg(xp + j);
        value = xj == x ? __ldg(fp + j) : __dadd_rn(__dmul_rn(__ldg(slopes + j), __dsub_rn(x, xj)), __ldg(fp + j));
    }
    else value = x != x ? x : x < x0 ? __ldg(fp) : __ldg(fp + count - 1);
    dst[i] = (T)value;
}

extern "C" __global__ void interp_f32(const float* __restrict__ src, float* __restrict__ dst, long long n, const double* __restrict__ xp,
                                      const double* __restrict__ fp, const double* __restrict__ slopes, int count, double inverseStep)
{
    interp<float>(src, dst, n, xp, fp, slopes, count, inverseStep);
}

extern "C" __global__ void interp_f64(const double* __restrict__ src, double* __restrict__ dst, long long n, const double* __restrict__ xp,
                                      const double* __restrict__ fp, const double* __restrict__ slopes, int count, double inverseStep)
{
    interp<double>(src, dst, n, xp, fp, slopes, count, inverseStep);
}
