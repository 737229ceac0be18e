using System.Runtime.CompilerServices;

namespace Scoped.Backends.Gpu;

/// <summary>
/// A kernel's parameters, in order, each in an 8-byte slot (little-endian, so a 4-byte int or float sits in the
/// slot's first bytes, which is where a launch reads it). Built fluently: <c>new KernelArguments().Pointer(src).Int(width)</c>.
/// </summary>
public sealed class KernelArguments
{
    private readonly List<ulong> _slots = [];
    private readonly List<int> _sizes = [];

    /// <summary>The parameters' bit patterns.</summary>
    public IReadOnlyList<ulong> Slots => _slots;

    /// <summary>The size in bytes of each parameter as the kernel declares it (8 for pointers, 4 for int and float).</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>A device pointer parameter.</summary>
    /// <param name="value">The pointer.</param>
    public KernelArguments Pointer(DevicePointer value) => Add(value.Address, 8);

    /// <summary>An int parameter.</summary>
    /// <param name="value">The value.</param>
    public KernelArguments Int(int value) => Add((uint)value, 4);

    /// <summary>A float parameter.</summary>
    /// <param name="value">The value.</param>
    public KernelArguments Float(float value) => Add(BitConverter.SingleToUInt32Bits(value), 4);

    /// <summary>A double parameter.</summary>
    /// <param name="value">The value.</param>
    public KernelArguments Double(double value) => Add(BitConverter.DoubleToUInt64Bits(value), 8);

    /// <summary>A long long parameter.</summary>
    /// <param name="value">The value.</param>
    public KernelArguments Long(long value) => Add(unchecked((ulong)value), 8);

    /// <summary>The pointer at <paramref name="index"/> (tests read launches back with these).</summary>
    /// <param name="index">The parameter's position.</param>
    public DevicePointer PointerAt(int index) => new(_slots[index]);

    /// <summary>The int at <paramref name="index"/>.</summary>
    /// <param name="index">The parameter's position.</param>
    public int IntAt(int index) => unchecked((int)(uint)_slots[index]);

    /// <summary>The float at <paramref name="index"/>.</summary>
    /// <param name="index">The parameter's position.</param>
    public float FloatAt(int index) => BitConverter.UInt32BitsToSingle((uint)_slots[index]);

    /// <summary>The double at <paramref name="index"/>.</summary>
    /// <param name="index">The parameter's position.</param>
    public double DoubleAt(int index) => BitConverter.UInt64BitsToDouble(_slots[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private KernelArguments Add(ulong bits, int size)
    {
        _slots.Add(bits);
        _sizes.Add(size);
        return this;
    }
}
