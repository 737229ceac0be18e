using System.Runtime.InteropServices;

namespace Scoped.Backends.Gpu.Native;

/// <summary>
/// <see cref="KernelArguments"/> in the form cuLaunchKernel takes: an array of pointers, the i-th pointing at the value
/// of the i-th parameter. The values are copied into one block of unmanaged memory (8-byte slots, so a 4-byte int or
/// float is read from the slot's first bytes on a little-endian host) followed by the pointer array, so nothing moves
/// during the call. Dispose after the launch: cuLaunchKernel copies the values before it returns.
/// </summary>
internal sealed unsafe class LaunchParameters : IDisposable
{
    private void* _block;

    public LaunchParameters(KernelArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        Count = arguments.Slots.Count;
        if (Count == 0) return;   // cuLaunchKernel takes a null array for a kernel without parameters
        _block = NativeMemory.AlignedAlloc((nuint)(Count * 16), 16);
        var values = (ulong*)_block;
        var pointers = (void**)(values + Count);
        for (int i = 0; i < Count; i++)
        {
            values[i] = arguments.Slots[i];
            pointers[i] = values + i;
        }
    }

    /// <summary>The number of parameters.</summary>
    public int Count { get; }

    /// <summary>The void** for cuLaunchKernel's kernelParams; null when there are no parameters.</summary>
    public void** Pointers => _block == null ? null : (void**)((ulong*)_block + Count);

    /// <summary><see cref="Pointers"/> as an address (tests read it with Marshal).</summary>
    public nint Address => (nint)Pointers;

    public void Dispose()
    {
        if (_block == null) return;
        NativeMemory.AlignedFree(_block);
        _block = null;
    }
}
