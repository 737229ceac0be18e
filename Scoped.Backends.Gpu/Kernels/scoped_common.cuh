// Shared by every Scoped kernel module: boundary index arithmetic (the same as Scoped.Image's Border.Map) and the
// thread-index helpers. Included with #include "scoped_common.cuh"; NVRTC gets it as a named header.
#pragma once

// Boundary modes, numbered as Scoped.Image.BoundaryMode.
#define SCOPED_REFLECT 0   // half-sample symmetric: d c b a | a b c d | d c b a (ndimage 'reflect', NumPy 'symmetric')
#define SCOPED_CONSTANT 1  // cval outside
#define SCOPED_NEAREST 2   // edge repeated (NumPy 'edge')
#define SCOPED_MIRROR 3    // whole-sample symmetric: d c b | a b c d | c b a (ndimage 'mirror', NumPy 'reflect')
#define SCOPED_WRAP 4      // periodic

// The in-image index that index i reads on an axis of length n, or -1 for constant mode outside the image.
__device__ __forceinline__ int scoped_map(int i, int n, int mode)
{
    if ((unsigned)i < (unsigned)n) return i;
    switch (mode)
    {
    case SCOPED_CONSTANT: return -1;
    case SCOPED_NEAREST: return i < 0 ? 0 : n - 1;
    case SCOPED_WRAP: { i %= n; return i < 0 ? i + n : i; }
    case SCOPED_REFLECT: { int p = 2 * n; i %= p; if (i < 0) i += p; return i < n ? i : p - 1 - i; }
    default: { if (n == 1) return 0; int p = 2 * n - 2; i %= p; if (i < 0) i += p; return i < n ? i : p - i; } // mirror
    }
}

// Column and row of this thread in a 2-D launch (LaunchShape.Covering on the host).
__device__ __forceinline__ int scoped_x() { return blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ int scoped_y() { return blockIdx.y * blockDim.y + threadIdx.y; }
