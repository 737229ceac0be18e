using System.Runtime.InteropServices;
using Moq;
using Scoped.Backends.Gpu;

namespace Scoped.Tests.Gpu;

/// <summary>
/// A mocked <see cref="IGpuRuntime"/> (Moq) whose "device memory" is host byte arrays, so uploads, downloads, copies
/// and fills really move bytes and can be checked, every allocation and free is seen, and launches are recorded
/// (kernels cannot run here; <see cref="OnLaunch"/> lets a test stand in for one). Errors can be injected per call.
/// </summary>
internal sealed class FakeGpu
{
    private readonly Dictionary<ulong, byte[]> _memory = [];
    private ulong _next = 0x10000;
    private readonly object _gate = new();

    public FakeGpu(string name = "Fake GPU", int major = 9, int minor = 0)
    {
        Runtime = new Mock<IGpuRuntime>(MockBehavior.Strict);
        Runtime.SetupGet(r => r.Info).Returns(new GpuDeviceInfo(name, major, minor, 80L << 30, 12040));
        Runtime.Setup(r => r.Allocate(It.IsAny<long>())).Returns((long bytes) => Allocate(bytes));
        Runtime.Setup(r => r.Free(It.IsAny<DevicePointer>())).Callback((DevicePointer p) => Free(p));
        Runtime.Setup(r => r.Upload(It.IsAny<DevicePointer>(), It.IsAny<nint>(), It.IsAny<long>()))
            .Callback((DevicePointer d, nint s, long n) => { FailIfAsked("Upload"); var (b, o) = Find(d, n); Marshal.Copy(s, b, o, checked((int)n)); });
        Runtime.Setup(r => r.Download(It.IsAny<nint>(), It.IsAny<DevicePointer>(), It.IsAny<long>()))
            .Callback((nint d, DevicePointer s, long n) => { FailIfAsked("Download"); var (b, o) = Find(s, n); Marshal.Copy(b, o, d, checked((int)n)); });
        Runtime.Setup(r => r.Copy(It.IsAny<DevicePointer>(), It.IsAny<DevicePointer>(), It.IsAny<long>()))
            .Callback((DevicePointer d, DevicePointer s, long n) => { var (sb, so) = Find(s, n); var (db, dOffset) = Find(d, n); Buffer.BlockCopy(sb, so, db, dOffset, checked((int)n)); });
        Runtime.Setup(r => r.Fill(It.IsAny<DevicePointer>(), It.IsAny<byte>(), It.IsAny<long>()))
            .Callback((DevicePointer d, byte v, long n) => { var (b, o) = Find(d, n); b.AsSpan(o, checked((int)n)).Fill(v); });
        Runtime.Setup(r => r.Load(It.IsAny<KernelSource>(), It.IsAny<string>()))
            .Returns((KernelSource s, string e) => { Loads.Add($"{s.Name}:{e}"); return new GpuFunction(s, e, Loads.Count); });
        Runtime.Setup(r => r.Launch(It.IsAny<GpuFunction>(), It.IsAny<LaunchShape>(), It.IsAny<KernelArguments>()))
            .Callback((GpuFunction f, LaunchShape shape, KernelArguments a) =>
            {
                FailIfAsked("Launch");
                Launches.Add((f, shape, a));
                OnLaunch?.Invoke(f, shape, a);
            });
        Runtime.Setup(r => r.Synchronize()).Callback(() => FailIfAsked("Synchronize"));
        Runtime.Setup(r => r.Dispose());
        Device = new GpuDevice(Runtime.Object);
    }

    public Mock<IGpuRuntime> Runtime { get; }
    public GpuDevice Device { get; }

    /// <summary>Kernels loaded, "module:entry", in order.</summary>
    public List<string> Loads { get; } = [];

    /// <summary>Every launch, in order.</summary>
    public List<(GpuFunction Function, LaunchShape Shape, KernelArguments Arguments)> Launches { get; } = [];

    /// <summary>Stands in for a kernel: called on each launch (read and write device memory with <see cref="Bytes"/>).</summary>
    public Action<GpuFunction, LaunchShape, KernelArguments>? OnLaunch { get; set; }

    /// <summary>The next call of this name ("Upload", "Download", "Launch", "Synchronize") throws, as a failing device would.</summary>
    public string? FailNext { get; set; }

    /// <summary>Allocations not freed.</summary>
    public int Live { get { lock (_gate) return _memory.Count; } }

    /// <summary>The bytes behind a device range, to read or write in place of a kernel.</summary>
    public Span<byte> Bytes(DevicePointer pointer, long bytes)
    {
        var (buffer, offset) = Find(pointer, bytes);
        return buffer.AsSpan(offset, checked((int)bytes));
    }

    /// <summary>The floats behind a device range.</summary>
    public Span<float> Floats(DevicePointer pointer, long count) => MemoryMarshal.Cast<byte, float>(Bytes(pointer, count * 4));

    private DevicePointer Allocate(long bytes)
    {
        if (bytes < 1) throw new ArgumentOutOfRangeException(nameof(bytes), "the runtime is never asked for 0 bytes");
        lock (_gate)
        {
            var address = _next;
            _next += (ulong)((bytes + 255) / 256 * 256) + 256;   // aligned, with a gap so overruns do not land in a neighbour
            _memory[address] = new byte[bytes];
            return new DevicePointer(address);
        }
    }

    private void Free(DevicePointer pointer)
    {
        lock (_gate)
            if (!_memory.Remove(pointer.Address)) throw new InvalidOperationException($"Free of {pointer}, which is not a live allocation (double free?)");
    }

    private (byte[] Buffer, int Offset) Find(DevicePointer pointer, long bytes)
    {
        lock (_gate)
        {
            foreach (var (start, buffer) in _memory)
                if (pointer.Address >= start && pointer.Address + (ulong)bytes <= start + (ulong)buffer.Length)
                    return (buffer, checked((int)(pointer.Address - start)));
        }
        throw new InvalidOperationException($"{bytes} bytes at {pointer} are not inside a live allocation");
    }

    private void FailIfAsked(string call)
    {
        if (FailNext != call) return;
        FailNext = null;
        throw new InvalidOperationException($"{call} failed: injected device error");
    }
}
