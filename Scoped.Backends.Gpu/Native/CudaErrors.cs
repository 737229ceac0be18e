namespace Scoped.Backends.Gpu.Native;

/// <summary>
/// Names and descriptions of CUresult and nvrtcResult codes. The driver and NVRTC are asked first
/// (cuGetErrorName/cuGetErrorString, nvrtcGetErrorString); these tables answer when they cannot be asked (a library
/// without the entry point, or one that failed to load) so an error never shows as a bare number.
/// </summary>
internal static class CudaErrors
{
    /// <summary>CUresult values from cuda.h that a user of this backend may plausibly meet.</summary>
    private static readonly Dictionary<int, (string Name, string Description)> s_driver = new()
    {
        [0] = ("CUDA_SUCCESS", "no error"),
        [1] = ("CUDA_ERROR_INVALID_VALUE", "invalid argument"),
        [2] = ("CUDA_ERROR_OUT_OF_MEMORY", "out of memory"),
        [3] = ("CUDA_ERROR_NOT_INITIALIZED", "initialization error"),
        [4] = ("CUDA_ERROR_DEINITIALIZED", "driver shutting down"),
        [34] = ("CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"),
        [35] = ("CUDA_ERROR_INSUFFICIENT_DRIVER", "the installed NVIDIA CUDA driver is older than the CUDA runtime library"),
        [46] = ("CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy or unavailable"),
        [100] = ("CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"),
        [101] = ("CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"),
        [102] = ("CUDA_ERROR_DEVICE_NOT_LICENSED", "device doesn't have valid Grid license"),
        [200] = ("CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"),
        [201] = ("CUDA_ERROR_INVALID_CONTEXT", "invalid device context"),
        [209] = ("CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"),
        [218] = ("CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"),
        [221] = ("CUDA_ERROR_JIT_COMPILER_NOT_FOUND", "PTX JIT compiler library not found"),
        [222] = ("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain"),
        [300] = ("CUDA_ERROR_INVALID_SOURCE", "device kernel image is invalid"),
        [301] = ("CUDA_ERROR_FILE_NOT_FOUND", "file not found"),
        [400] = ("CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"),
        [401] = ("CUDA_ERROR_ILLEGAL_STATE", "the operation is not permitted in the current state"),
        [500] = ("CUDA_ERROR_NOT_FOUND", "named symbol not found"),
        [600] = ("CUDA_ERROR_NOT_READY", "device not ready"),
        [700] = ("CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"),
        [701] = ("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"),
        [702] = ("CUDA_ERROR_LAUNCH_TIMEOUT", "the launch timed out and was terminated"),
        [709] = ("CUDA_ERROR_CONTEXT_IS_DESTROYED", "context is destroyed"),
        [710] = ("CUDA_ERROR_ASSERT", "device-side assert triggered"),
        [714] = ("CUDA_ERROR_HARDWARE_STACK_ERROR", "hardware stack error"),
        [715] = ("CUDA_ERROR_ILLEGAL_INSTRUCTION", "an illegal instruction was encountered"),
        [716] = ("CUDA_ERROR_MISALIGNED_ADDRESS", "misaligned address"),
        [717] = ("CUDA_ERROR_INVALID_ADDRESS_SPACE", "operation not supported on global/shared address space"),
        [718] = ("CUDA_ERROR_INVALID_PC", "invalid program counter"),
        [719] = ("CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"),
        [800] = ("CUDA_ERROR_NOT_PERMITTED", "operation not permitted"),
        [801] = ("CUDA_ERROR_NOT_SUPPORTED", "operation not supported"),
        [802] = ("CUDA_ERROR_SYSTEM_NOT_READY", "system not yet initialized"),
        [803] = ("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", "system has unsupported display driver / cuda driver combination"),
        [804] = ("CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", "forward compatibility was attempted on non supported HW"),
        [999] = ("CUDA_ERROR_UNKNOWN", "unknown error"),
    };

    /// <summary>nvrtcResult values from nvrtc.h.</summary>
    private static readonly Dictionary<int, string> s_nvrtc = new()
    {
        [0] = "NVRTC_SUCCESS",
        [1] = "NVRTC_ERROR_OUT_OF_MEMORY",
        [2] = "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        [3] = "NVRTC_ERROR_INVALID_INPUT",
        [4] = "NVRTC_ERROR_INVALID_PROGRAM",
        [5] = "NVRTC_ERROR_INVALID_OPTION",
        [6] = "NVRTC_ERROR_COMPILATION",
        [7] = "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        [8] = "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        [9] = "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
        [10] = "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        [11] = "NVRTC_ERROR_INTERNAL_ERROR",
        [12] = "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
    };

    /// <summary>A CUresult's name and description from the table ("CUDA_ERROR_UNKNOWN_1234" for a code it lacks).</summary>
    /// <param name="code">The CUresult.</param>
    public static (string Name, string Description) Driver(int code) =>
        s_driver.TryGetValue(code, out var known) ? known : ($"CUDA_ERROR_{code}", $"CUresult {code}, not in Scoped's table of driver errors");

    /// <summary>An nvrtcResult's name from the table.</summary>
    /// <param name="code">The nvrtcResult.</param>
    public static string Nvrtc(int code) => s_nvrtc.TryGetValue(code, out var name) ? name : $"NVRTC_ERROR_{code}";

    /// <summary>The exception for a failed driver call. <paramref name="ask"/> asks the driver for the name and string;
    /// when it throws or answers null (no such entry point, library not loaded) the table answers.</summary>
    /// <param name="call">The API function.</param>
    /// <param name="code">Its CUresult.</param>
    /// <param name="ask">The driver's own lookup, or null.</param>
    public static CudaException DriverFailure(string call, int code, Func<int, (string? Name, string? Description)>? ask = null)
    {
        var (name, description) = Driver(code);
        if (ask is not null)
        {
            try
            {
                var (askedName, askedDescription) = ask(code);
                name = askedName ?? name;
                description = askedDescription ?? description;
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
            {
                // The table's answer stands.
            }
        }
        return new CudaException(call, code, name, description);
    }

    /// <summary>The exception for a failed NVRTC call, with the compile log when there is one.</summary>
    /// <param name="call">The API function.</param>
    /// <param name="code">Its nvrtcResult.</param>
    /// <param name="ask">NVRTC's own nvrtcGetErrorString, or null.</param>
    /// <param name="log">The program's log.</param>
    public static CudaException NvrtcFailure(string call, int code, Func<int, string?>? ask = null, string? log = null)
    {
        var name = Nvrtc(code);
        if (ask is not null)
        {
            try { name = ask(code) ?? name; }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException) { }
        }
        var description = code == 6 ? "the kernel source did not compile; NVRTC's log follows" : "NVRTC could not compile the kernels";
        return new CudaException(call, code, name, description, log);
    }
}
