// Element types by number, for kernels that take any input type at run time (one entry point instead of one per
// type; the switch is uniform across a warp, so it costs no divergence). Numbers as GpuElementTypes.Code on the host.
// Also the IEEE 754-2019 min/max that .NET's Math.Min/Math.Max implement (NaN propagates, -0 orders below +0).
#pragma once

#if !defined(__CUDACC__)
using std::signbit;   // the g++ syntax check: CUDA has signbit as a device function
#endif

#define SCOPED_U8 0    // uint8, and bool stored as 0/1 bytes
#define SCOPED_U16 1
#define SCOPED_I32 2
#define SCOPED_F32 3
#define SCOPED_F64 4

// Element i of an array of type `type`, as double (exact for every type).
__device__ __forceinline__ double scoped_load(const void* p, long long i, int type)
{
    switch (type)
    {
    case SCOPED_U8: return (double)((const unsigned char*)p)[i];
    case SCOPED_U16: return (double)((const unsigned short*)p)[i];
    case SCOPED_I32: return (double)((const int*)p)[i];
    case SCOPED_F32: return (double)((const float*)p)[i];
    default: return ((const double*)p)[i];
    }
}

// NumPy's astype as Scoped.Image's Elements.From does it: floats truncate toward zero and saturate, NaN gives 0.
__device__ __forceinline__ void scoped_store(void* p, long long i, int type, double v)
{
    switch (type)
    {
    case SCOPED_F32: ((float*)p)[i] = (float)v; return;
    case SCOPED_F64: ((double*)p)[i] = v; return;
    default: break;
    }
    double lo = type == SCOPED_I32 ? -2147483648.0 : 0.0;
    double hi = type == SCOPED_U8 ? 255.0 : type == SCOPED_U16 ? 65535.0 : 2147483647.0;
    double t = v != v ? 0.0 : trunc(v);
    t = t < lo ? lo : t > hi ? hi : t;
    if (type == SCOPED_U8) ((unsigned char*)p)[i] = (unsigned char)t;
    else if (type == SCOPED_U16) ((unsigned short*)p)[i] = (unsigned short)t;
    else ((int*)p)[i] = (int)t;
}

// Math.Max / Math.Min: NaN if either is NaN; +0 is larger than -0.
template <typename T> __device__ __forceinline__ T scoped_ieee_max(T a, T b)
{
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}

template <typename T> __device__ __forceinline__ T scoped_ieee_min(T a, T b)
{
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}

// i clamped into [0, n - 1].
__device__ __forceinline__ int scoped_clamp_index(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }

// Dynamic shared memory (the launch's SharedBytes), declared at file scope. The g++ syntax check has no __shared__
// storage that extern can name, so there it is a plain extern array.
#if defined(__CUDACC__)
#define SCOPED_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#else
#define SCOPED_DYNAMIC_SHARED(type, name) extern type name[]
#endif
