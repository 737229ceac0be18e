namespace Scoped.Benchmarks;

/// <summary>
/// Bytes allocated per call against the output's own size (issue 15: "no allocation beyond the output and O(one row)
/// per thread"): <c>dotnet Scoped.Benchmarks.dll alloc [FUNCTION...]</c> prints
/// <c>function allocated_MB output_MB extra_MB</c> for warm calls on 2048² inputs.
/// </summary>
public static class Allocations
{
    public static int Run(string[] args)
    {
        var names = args.Length > 1 ? args[1..] : [.. ColdStart.Cases.Keys];
        foreach (var name in names)
        {
            if (!ColdStart.Cases.TryGetValue(name, out var make)) { Console.Error.WriteLine($"no case {name}"); return 2; }
            var call = make(2048);
            var result = call();
            for (int i = 0; i < 3; i++) result = call();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            result = call();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            long output = result is Scoped.Image.HostArray h ? h.Size * Scoped.Image.DTypes.ItemSize(h.DType) : 0;
            Console.WriteLine(FormattableString.Invariant($"{name,-16} {allocated / 1048576.0,10:F2} {output / 1048576.0,10:F2} {(allocated - output) / 1048576.0,10:F2}"));
        }
        return 0;
    }
}
