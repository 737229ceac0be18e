using System.Runtime.InteropServices;

namespace Scoped.Backends.Gpu.Native;

/// <summary>
/// The CUDA driver API entry points the backend uses, bound by source-generated P/Invoke. Where cuda.h maps a name to a
/// versioned symbol (cuMemAlloc → cuMemAlloc_v2) the versioned one is bound, as that is what the library exports.
/// Handles (CUcontext, CUstream, CUmodule, CUfunction, CUevent, CUmemoryPool) are pointers; CUdevice is an int;
/// CUdeviceptr is a 64-bit integer. Every function returns a CUresult, checked by <see cref="Check"/>.
/// </summary>
internal static unsafe partial class CudaDriver
{
    private const string Lib = NativeLibraryProbe.DriverImportName;

    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;
    public const int AttributeMemoryPoolsSupported = 115;
    public const int MemPoolAttributeReleaseThreshold = 4;
    public const int FunctionAttributeMaxDynamicSharedBytes = 8;
    public const int DefaultSharedBytesLimit = 48 * 1024;
    public const uint StreamNonBlocking = 1;
    public const uint EventDefault = 0;

    [LibraryImport(Lib)] public static partial int cuInit(uint flags);
    [LibraryImport(Lib)] public static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib)] public static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Lib)] public static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRetain(out nint context, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(Lib)] public static partial int cuCtxSetCurrent(nint context);
    [LibraryImport(Lib)] public static partial int cuCtxGetCurrent(out nint context);
    [LibraryImport(Lib)] public static partial int cuCtxSynchronize();
    [LibraryImport(Lib)] public static partial int cuFuncSetAttribute(nint function, int attribute, int value);
    [LibraryImport(Lib)] public static partial int cuDeviceGetDefaultMemPool(out nint pool, int device);
    [LibraryImport(Lib)] public static partial int cuMemPoolSetAttribute(nint pool, int attribute, void* value);

    [LibraryImport(Lib)] public static partial int cuMemAlloc_v2(out ulong pointer, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemFree_v2(ulong pointer);
    [LibraryImport(Lib)] public static partial int cuMemAllocAsync(out ulong pointer, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemFreeAsync(ulong pointer, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoD_v2(ulong destination, ulong source, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemsetD8_v2(ulong destination, byte value, nuint count);
    [LibraryImport(Lib)] public static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);

    [LibraryImport(Lib)] public static partial int cuStreamCreate(out nint stream, uint flags);
    [LibraryImport(Lib)] public static partial int cuStreamDestroy_v2(nint stream);
    [LibraryImport(Lib)] public static partial int cuStreamSynchronize(nint stream);

    [LibraryImport(Lib)] public static partial int cuModuleLoadData(out nint module, void* image);
    [LibraryImport(Lib)] public static partial int cuModuleUnload(nint module);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int cuModuleGetFunction(out nint function, nint module, string name);
    [LibraryImport(Lib)]
    public static partial int cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, nint stream, void** parameters, void** extra);

    [LibraryImport(Lib)] public static partial int cuEventCreate(out nint @event, uint flags);
    [LibraryImport(Lib)] public static partial int cuEventRecord(nint @event, nint stream);
    [LibraryImport(Lib)] public static partial int cuEventSynchronize(nint @event);
    [LibraryImport(Lib)] public static partial int cuEventElapsedTime(out float milliseconds, nint start, nint end);
    [LibraryImport(Lib)] public static partial int cuEventDestroy_v2(nint @event);

    [LibraryImport(Lib)] public static partial int cuGetErrorName(int error, out byte* name);
    [LibraryImport(Lib)] public static partial int cuGetErrorString(int error, out byte* description);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0) throw Failure(call, result);
    }

    /// <summary>The exception for a failed call, named by the driver where it can, else by the table.</summary>
    public static CudaException Failure(string call, int result) => CudaErrors.DriverFailure(call, result, AskDriver);

    private static (string?, string?) AskDriver(int code)
    {
        string? name = null, description = null;
        if (cuGetErrorName(code, out var namePointer) == 0 && namePointer != null) name = Marshal.PtrToStringUTF8((nint)namePointer);
        if (cuGetErrorString(code, out var textPointer) == 0 && textPointer != null) description = Marshal.PtrToStringUTF8((nint)textPointer);
        return (name, description);
    }
}
