// Reductions whose last step runs on the host: per-block (or per-row) partial results are downloaded and combined in
// a fixed order, so a result does not depend on how the GPU schedules blocks.
//
// minmax_partials: a 1-D grid of at most 1024 blocks of 256 threads striding over the image (GpuReduce.Shape); each
// block writes {min, max of the non-NaN values, any NaN, any value} as 4 doubles. Traffic per element: 1 read (+ 1
// mask byte). Used by rescale_intensity ("image" ranges), equalize_hist and threshold_otsu (the histogram's range)
// and peak_signal_noise_ratio (the data range check).
//
// mse_rows: one block of 256 threads per row (grid = height); each thread sums the squared differences of its
// strided elements in float64, then the block adds the 256 sums in a shared-memory tree; row sums are summed on the
// host in row order, as the CPU does. Traffic per element: 2 reads; per row: 1 double written.
#include "scoped_types.cuh"

extern "C" __global__ void minmax_partials(const void* __restrict__ src, int type, const unsigned char* __restrict__ mask, long long n,
                                           double* __restrict__ partials)
{
    __shared__ double smin[256], smax[256];
    __shared__ int snan[256], sany[256];
    double lo = 0, hi = 0;
    int nan = 0, any = 0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    {
        if (mask != 0 && mask[i] == 0) continue;
        double v = scoped_load(src, i, type);
        if (v != v) { nan = 1; continue; }
        if (!any) { lo = hi = v; any = 1; continue; }
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    int t = threadIdx.x;
    smin[t] = lo; smax[t] = hi; snan[t] = nan; sany[t] = any;
    __syncthreads();
    for (int half = 128; half > 0; half >>= 1)
    {
        if (t < half && sany[t + half])
        {
            if (!sany[t]) { smin[t] = smin[t + half]; smax[t] = smax[t + half]; sany[t] = 1; }
            else
            {
                smin[t] = smin[t + half] < smin[t] ? smin[t + half] : smin[t];
                smax[t] = smax[t + half] > smax[t] ? smax[t + half] : smax[t];
            }
        }
        if (t < half) snan[t] |= snan[t + half];
        __syncthreads();
    }
    if (t == 0)
    {
        double* out = partials + 4 * (long long)blockIdx.x;
        out[0] = smin[0]; out[1] = smax[0]; out[2] = snan[0]; out[3] = sany[0];
    }
}

// rowSums[y] = sum over the row of (a - b)^2, the difference and square rounded in float32 when single != 0 (both
// images float32) or in float64, each square added in float64. Rows are rowLength elements (channels included).
extern "C" __global__ void mse_rows(const void* __restrict__ a, int typeA, const void* __restrict__ b, int typeB, int rowLength,
                                    int single, double* __restrict__ rowSums)
{
    __shared__ double sums[256];
    long long row = (long long)blockIdx.x * rowLength;
    double sum = 0;
    for (int x = threadIdx.x; x < rowLength; x += blockDim.x)
    {
        if (single)
        {
            float d = __fsub_rn(((const float*)a)[row + x], ((const float*)b)[row + x]);
            sum = __dadd_rn(sum, (double)__fmul_rn(d, d));
        }
        else
        {
            double d = __dsub_rn(scoped_load(a, row + x, typeA), scoped_load(b, row + x, typeB));
            sum = __dadd_rn(sum, __dmul_rn(d, d));
        }
    }
    int t = threadIdx.x;
    sums[t] = sum;
    __syncthreads();
    for (int half = 128; half > 0; half >>= 1)
    {
        if (t < half) sums[t] = __dadd_rn(sums[t], sums[t + half]);
        __syncthreads();
    }
    if (t == 0) rowSums[blockIdx.x] = sums[0];
}
