// Histograms on the device, for exposure.equalize_hist and filters.threshold_otsu: one bin per value for uint8 and
// uint16 images, and np.histogram's uniform bins for float32 / float64 images (as Scoped.Image's
// Kernels/HistogramKernels.CountUniform: a scaled first guess, corrected against the exact bin edges). Bins are
// counted in 64-bit integers, so the counts are exact and equal the CPU's; the host turns them into the cdf / the
// threshold.
//
// Launch: a 1-D grid of at most 1024 blocks of 256 threads that strides over the image (GpuHistogram.Shape), so
// the merge below costs at most 1024 atomics per bin. hist_u8 and hist_uniform_* (nbins <= 8192) count into a
// per-block histogram in shared memory (32-bit), then add it to the global 64-bit counts with one atomic per
// non-empty bin; hist_u16 (65536 bins, too many for shared memory) adds straight to the global counts.
// Traffic per pixel: 1 element read (+ 1 mask byte), one shared-memory atomic; the edge arrays stay in L1.
#include "scoped_types.cuh"

SCOPED_DYNAMIC_SHARED(unsigned int, hist_shared);

__device__ __forceinline__ long long hist_first() { return (long long)blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ long long hist_stride() { return (long long)gridDim.x * blockDim.x; }

// Zeroes the block's shared histogram.
__device__ __forceinline__ void hist_clear(int bins)
{
    for (int k = threadIdx.x; k < bins; k += blockDim.x) hist_shared[k] = 0;
    __syncthreads();
}

// Adds the block's shared histogram to the global counts.
__device__ __forceinline__ void hist_merge(int bins, unsigned long long* __restrict__ counts)
{
    __syncthreads();
    for (int k = threadIdx.x; k < bins; k += blockDim.x)
        if (hist_shared[k] != 0) atomicAdd(counts + k, (unsigned long long)hist_shared[k]);
}

// counts[v] += 1 for each selected uint8 value v (mask null: every pixel). Shared: 256 * 4 bytes.
extern "C" __global__ void hist_u8(const unsigned char* __restrict__ src, const unsigned char* __restrict__ mask, long long n,
                                   unsigned long long* __restrict__ counts)
{
    hist_clear(256);
    for (long long i = hist_first(); i < n; i += hist_stride())
        if (mask == 0 || mask[i] != 0) atomicAdd(hist_shared + src[i], 1u);
    hist_merge(256, counts);
}

// counts[v] += 1 for each selected uint16 value v, straight into the 65536 global counts.
extern "C" __global__ void hist_u16(const unsigned short* __restrict__ src, const unsigned char* __restrict__ mask, long long n,
                                    unsigned long long* __restrict__ counts)
{
    for (long long i = hist_first(); i < n; i += hist_stride())
        if (mask == 0 || mask[i] != 0) atomicAdd(counts + src[i], 1ull);
}

// np.histogram's bin of v in [lo, hi] (the caller checked), as CountUniform: guess min(max((v - lo) * norm, 0), nbins - 1)
// in T, truncated, then moved until lower[k] <= v < upper[k] (lower[0] = -inf, upper[nbins - 1] = +inf).
template <typename T>
__device__ __forceinline__ int hist_bin(T v, T lo, T norm, int nbins, const T* __restrict__ lower, const T* __restrict__ upper);

template <>
__device__ __forceinline__ int hist_bin<float>(float v, float lo, float norm, int nbins, const float* __restrict__ lower, const float* __restrict__ upper)
{
    float g = __fmul_rn(__fsub_rn(v, lo), norm), top = (float)(nbins - 1);
    g = g < 0.0f ? 0.0f : g > top ? top : g;
    int k = (int)g;
    while (v < __ldg(lower + k)) k--;
    while (v >= __ldg(upper + k)) k++;
    return k;
}

template <>
__device__ __forceinline__ int hist_bin<double>(double v, double lo, double norm, int nbins, const double* __restrict__ lower, const double* __restrict__ upper)
{
    double g = __dmul_rn(__dsub_rn(v, lo), norm), top = (double)(nbins - 1);
    g = g < 0.0 ? 0.0 : g > top ? top : g;
    int k = (int)g;
    while (v < __ldg(lower + k)) k--;
    while (v >= __ldg(upper + k)) k++;
    return k;
}

// Uniform bins over [lo, hi]: values outside (and NaN) are not counted. shared != 0: count in shared memory
// (nbins * 4 bytes of it), else straight into the global counts.
template <typename T>
__device__ void hist_uniform(const T* __restrict__ src, const unsigned char* __restrict__ mask, long long n, int nbins, T lo, T hi, T norm,
                             const T* __restrict__ lower, const T* __restrict__ upper, unsigned long long* __restrict__ counts, int shared)
{
    if (shared) hist_clear(nbins);
    for (long long i = hist_first(); i < n; i += hist_stride())
    {
        T v = src[i];
        if (!(v >= lo && v <= hi) || (mask != 0 && mask[i] == 0)) continue;
        int k = hist_bin<T>(v, lo, norm, nbins, lower, upper);
        if (shared) atomicAdd(hist_shared + k, 1u);
        else atomicAdd(counts + k, 1ull);
    }
    if (shared) hist_merge(nbins, counts);
}

extern "C" __global__ void hist_uniform_f32(const float* __restrict__ src, const unsigned char* __restrict__ mask, long long n, int nbins,
                                            float lo, float hi, float norm, const float* __restrict__ lower, const float* __restrict__ upper,
                                            unsigned long long* __restrict__ counts, int shared)
{
    hist_uniform<float>(src, mask, n, nbins, lo, hi, norm, lower, upper, counts, shared);
}

extern "C" __global__ void hist_uniform_f64(const double* __restrict__ src, const unsigned char* __restrict__ mask, long long n, int nbins,
                                            double lo, double hi, double norm, const double* __restrict__ lower, const double* __restrict__ upper,
                                            unsigned long long* __restrict__ counts, int shared)
{
    hist_uniform<double>(src, mask, n, nbins, lo, hi, norm, lower, upper, counts, shared);
}
