using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Scoped.Dispatch;

namespace Scoped.Benchmarks;

/// <summary>
/// What dispatch costs over a direct call of the same work: (a) the default with no scope, (b) inside one Use scope,
/// (c) inside three nested scopes, (d) with five registered backends that do not implement the argument types.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    public abstract class BenchArray(int width) { public int Width { get; } = width; }
    public sealed class Array2D(int width) : BenchArray(width);
    public sealed class OtherArray() : BenchArray(0);

    private static readonly Multimethod<Func<BenchArray, double, double>> Scale =
        Multimethod.Create<Func<BenchArray, double, double>>("bench.dispatch:scale", Work);
    private static readonly Multimethod<Func<BenchArray, double, double>> ScaleWithBystanders =
        Multimethod.Create<Func<BenchArray, double, double>>("bench.bystanders:scale", Work);

    private readonly Array2D _array = new(3);
    private IDisposable[] _scopes = [];

    /// <summary>The work itself: small, so the benchmark shows dispatch overhead.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Work(BenchArray a, double factor) => a.Width * factor;

    [GlobalSetup]
    public void Setup()
    {
        // One backend per scope used below; each implements only other types, so the default still runs the work
        // and every variant does the same thing.
        for (var i = 0; i < 3; i++)
            Backend.Register(new DispatchBackend($"bench{i}", "bench.dispatch").Implement(Scale, (OtherArray _, double f) => 0.0));
        // (d) five registered backends in the domain, opted in by priority, each owning a type and implementing only that.
        for (var i = 0; i < 5; i++)
            Backend.Register(new DispatchBackend($"bystander{i}", "bench.bystanders").Owns<OtherArray>()
                .Implement(ScaleWithBystanders, (OtherArray _, double f) => 0.0));
        Backend.Configure(o => o.Priority = ["bystander0", "bystander1", "bystander2", "bystander3", "bystander4"]);
    }

    // Each benchmark runs in its own process, so scopes opened in its setup stay open for all its iterations.
    [GlobalSetup(Target = nameof(OneScope))]
    public void SetupOne()
    {
        Setup();
        _scopes = [Backend.Use("bench0")];
    }

    [GlobalSetup(Target = nameof(ThreeNestedScopes))]
    public void SetupThree()
    {
        Setup();
        _scopes = [Backend.Use("bench0"), Backend.Skip("bench1"), Backend.Use("bench2")];
    }

    [GlobalCleanup(Targets = [nameof(OneScope), nameof(ThreeNestedScopes)])]
    public void Close()
    {
        // Proof that the benchmark ran inside the scopes: they are still the innermost ones here.
        if (!Backend.CurrentScope.StartsWith("Use('bench", StringComparison.Ordinal))
            throw new InvalidOperationException($"The benchmark did not run inside its scopes: {Backend.CurrentScope}");
        for (var i = _scopes.Length - 1; i >= 0; i--) _scopes[i].Dispose();
    }

    [Benchmark(Baseline = true)]
    public double Direct() => Work(_array, 2.0);

    [Benchmark]
    public double DefaultNoScope() => Scale.Invoke(_array, 2.0);

    [Benchmark]
    public double OneScope() => Scale.Invoke(_array, 2.0);

    [Benchmark]
    public double ThreeNestedScopes() => Scale.Invoke(_array, 2.0);

    [Benchmark]
    public double FiveRegisteredBystanders() => ScaleWithBystanders.Invoke(_array, 2.0);

    [Benchmark]
    public double TargetThenCall() => Scale.Target(_array)(_array, 2.0);
}
