namespace Scoped.Backends.Gpu;

/// <summary>
/// A CUDA driver or NVRTC call failed. The message names the call, the error's name and the driver's description
/// ("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)"), and for a failed kernel compile, NVRTC's log.
/// </summary>
public sealed class CudaException : Exception
{
    /// <summary>An exception for a failed call.</summary>
    /// <param name="call">The API function that failed ("cuLaunchKernel").</param>
    /// <param name="code">The CUresult or nvrtcResult it returned.</param>
    /// <param name="errorName">The error's name ("CUDA_ERROR_LAUNCH_FAILED").</param>
    /// <param name="description">What the error means, as the library says it.</param>
    /// <param name="log">NVRTC's compile log, when the call was a compile.</param>
    public CudaException(string call, int code, string errorName, string description, string? log = null)
        : base(Compose(call, errorName, description, log))
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
        Description = description;
        Log = log;
    }

    /// <summary>The API function that failed.</summary>
    public string Call { get; }

    /// <summary>The numeric result code.</summary>
    public int Code { get; }

    /// <summary>The result code's name.</summary>
    public string ErrorName { get; }

    /// <summary>What the error means.</summary>
    public string Description { get; }

    /// <summary>The compiler's log for a failed compile, else null.</summary>
    public string? Log { get; }

    private static string Compose(string call, string name, string description, string? log)
    {
        var message = $"{call} failed: {name} ({description})";
        return string.IsNullOrWhiteSpace(log) ? message : $"{message}{Environment.NewLine}{log.TrimEnd()}";
    }
}
