using System.Runtime.InteropServices;
using System.Text;

namespace Scoped.Backends.Gpu.Native;

/// <summary>The NVRTC entry points the backend uses (source-generated P/Invoke). Each returns an nvrtcResult.</summary>
internal static unsafe partial class Nvrtc
{
    private const string Lib = NativeLibraryProbe.NvrtcImportName;
    public const int Compilation = 6;

    [LibraryImport(Lib)] public static partial int nvrtcVersion(out int major, out int minor);
    [LibraryImport(Lib)] public static partial int nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(Lib)] public static partial int nvrtcGetSupportedArchs(int* archs);
    [LibraryImport(Lib)]
    public static partial int nvrtcCreateProgram(out nint program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [LibraryImport(Lib)] public static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBINSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBIN(nint program, byte* cubin);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTXSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLogSize(nint program, out nuint size);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Lib)] public static partial int nvrtcDestroyProgram(ref nint program);
    [LibraryImport(Lib)] public static partial byte* nvrtcGetErrorString(int result);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> unless the result is NVRTC_SUCCESS.</summary>
    public static void Check(int result, string call, string? log = null)
    {
        if (result != 0) throw CudaErrors.NvrtcFailure(call, result, AskNvrtc, log);
    }

    private static string? AskNvrtc(int code)
    {
        var text = nvrtcGetErrorString(code);
        return text == null ? null : Marshal.PtrToStringUTF8((nint)text);
    }

    /// <summary>The options every kernel is compiled with. No fast math: float results must round as the CPU's do, so
    /// divisions and square roots stay IEEE-exact, denormals are kept, and multiply-adds are not fused.</summary>
    public static IReadOnlyList<string> Options(string architecture) =>
        [$"--gpu-architecture={architecture}", "-default-device", "--std=c++17", "--fmad=false"];
}

/// <summary>Compiles CUDA C with NVRTC: a cubin for the device's architecture, or PTX for the newest architecture
/// NVRTC knows when the device is newer than this NVRTC (the driver finishes PTX itself).</summary>
internal sealed unsafe class NvrtcCompiler : IKernelCompiler
{
    private readonly Lazy<int[]> _supported;

    public NvrtcCompiler()
    {
        Nvrtc.Check(Nvrtc.nvrtcVersion(out var major, out var minor), "nvrtcVersion");
        Version = $"{major}.{minor}";
        _supported = new Lazy<int[]>(SupportedArchitectures);
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public CompiledKernel Compile(KernelSource source, int computeMajor, int computeMinor)
    {
        var (architecture, ptx) = Target(computeMajor * 10 + computeMinor, _supported.Value);
        return new CompiledKernel(CompileFor(source, architecture, ptx), ptx);
    }

    /// <summary>"sm_90" when NVRTC knows the device's architecture (or cannot say which it knows); otherwise PTX for
    /// the newest one it knows below the device's ("compute_90"), which the driver compiles when it loads it.</summary>
    internal static (string Architecture, bool Ptx) Target(int device, IReadOnlyList<int> supported)
    {
        if (supported.Count == 0 || supported.Contains(device)) return ($"sm_{device}", false);
        var below = supported.Where(a => a <= device).DefaultIfEmpty(supported.Min()).Max();
        return ($"compute_{below}", true);
    }

    private static int[] SupportedArchitectures()
    {
        try
        {
            if (Nvrtc.nvrtcGetNumSupportedArchs(out var count) != 0 || count <= 0) return [];
            var archs = new int[count];
            fixed (int* p = archs) if (Nvrtc.nvrtcGetSupportedArchs(p) != 0) return [];
            return archs;
        }
        catch (EntryPointNotFoundException)
        {
            return [];   // NVRTC before 11.2: try the device's own architecture
        }
    }

    private static byte[] CompileFor(KernelSource source, string architecture, bool ptx)
    {
        using var strings = new Utf8Strings();
        var headerNames = source.Headers.Keys.Order(StringComparer.Ordinal).ToArray();
        var headerTexts = strings.Array(headerNames.Select(h => source.Headers[h]));
        var includeNames = strings.Array(headerNames);
        Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out var program, strings.Add(source.Code), strings.Add(source.Name + ".cu"),
            headerNames.Length, headerTexts, includeNames), "nvrtcCreateProgram");
        try
        {
            var options = Nvrtc.Options(architecture);
            int compiled = Nvrtc.nvrtcCompileProgram(program, options.Count, strings.Array(options));
            if (compiled != 0)
                Nvrtc.Check(compiled, $"nvrtcCompileProgram ({source.Name}.cu for {architecture})", Log(program));

            return ptx ? Read(program, Nvrtc.nvrtcGetPTXSize, Nvrtc.nvrtcGetPTX, "nvrtcGetPTX") : Read(program, Nvrtc.nvrtcGetCUBINSize, Nvrtc.nvrtcGetCUBIN, "nvrtcGetCUBIN");
        }
        finally
        {
            Nvrtc.nvrtcDestroyProgram(ref program);
        }
    }

    private delegate int SizeGetter(nint program, out nuint size);
    private delegate int DataGetter(nint program, byte* data);

    private static byte[] Read(nint program, SizeGetter size, DataGetter data, string call)
    {
        Nvrtc.Check(size(program, out var length), call + "Size");
        var bytes = new byte[(int)length];
        fixed (byte* p = bytes) Nvrtc.Check(data(program, p), call);
        return bytes;
    }

    private static string? Log(nint program)
    {
        if (Nvrtc.nvrtcGetProgramLogSize(program, out var size) != 0 || size <= 1) return null;
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes) if (Nvrtc.nvrtcGetProgramLog(program, p) != 0) return null;
        return Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1);   // drop the terminating NUL
    }

    /// <summary>NUL-terminated UTF-8 copies in unmanaged memory for the length of a compile.</summary>
    private sealed class Utf8Strings : IDisposable
    {
        private readonly List<nint> _blocks = [];

        public byte* Add(string text)
        {
            var block = Marshal.StringToCoTaskMemUTF8(text);
            _blocks.Add(block);
            return (byte*)block;
        }

        public byte** Array(IEnumerable<string> texts)
        {
            var list = texts.ToList();
            var block = Marshal.AllocCoTaskMem(Math.Max(1, list.Count) * sizeof(nint));
            _blocks.Add(block);
            var pointers = (byte**)block;
            for (int i = 0; i < list.Count; i++) pointers[i] = Add(list[i]);
            return pointers;
        }

        public void Dispose()
        {
            foreach (var block in _blocks) Marshal.FreeCoTaskMem(block);
        }
    }
}
