using Scoped.Dispatch;

[assembly: ScopedBackend("sample", typeof(Scoped.Tests.DiscoverySample.SampleBackend), "scoped.tests.discovery",
    OwnedTypes = [typeof(Scoped.Tests.DiscoverySample.SampleArray)],
    Functions = ["scoped.tests.discovery:measure"],
    Description = "A discovered backend for the tests")]

// Names a type that does not exist here, so loading it must fail with a clear reason.
[assembly: ScopedBackend("sample-broken", typeof(Scoped.Tests.DiscoverySample.BrokenBackend), "scoped.tests.discovery")]

// Fails to load until the test says its device is ready: a load failure that a retry can cure.
[assembly: ScopedBackend("sample-flaky", typeof(Scoped.Tests.DiscoverySample.FlakyBackend), "scoped.tests.discovery")]

namespace Scoped.Tests.DiscoverySample;

/// <summary>An array type owned by the sample backend.</summary>
public sealed class SampleArray(int length)
{
    public int Length { get; } = length;
}

/// <summary>Counts constructions so tests can tell whether discovery ran any code.</summary>
public static class SampleBackendState
{
    public static int Constructed;
}

public sealed class SampleBackend : DispatchBackend
{
    /// <summary>The multimethod the sample implements; declared here because the tests must not reference this assembly.</summary>
    public static readonly Multimethod<Func<object, int>> Measure = Multimethod.Create<Func<object, int>>("scoped.tests.discovery:measure");

    public SampleBackend() : base("sample", "scoped.tests.discovery")
    {
        Interlocked.Increment(ref SampleBackendState.Constructed);
        Owns<SampleArray>();
        Implement(Measure, (SampleArray a) => a.Length * 10);
    }
}

/// <summary>Its constructor throws: a backend that fails to load.</summary>
public sealed class BrokenBackend : DispatchBackend
{
    public BrokenBackend() : base("sample-broken", "scoped.tests.discovery") =>
        throw new InvalidOperationException("the sample device is missing");
}

/// <summary>Its constructor throws until the AppContext switch <see cref="ReadySwitch"/> is set.</summary>
public sealed class FlakyBackend : DispatchBackend
{
    public const string ReadySwitch = "Scoped.Tests.DiscoverySample.FlakyDeviceReady";

    public FlakyBackend() : base("sample-flaky", "scoped.tests.discovery")
    {
        if (!AppContext.TryGetSwitch(ReadySwitch, out var ready) || !ready)
            throw new InvalidOperationException("the flaky device is not ready yet");
        Implement(SampleBackend.Measure, (SampleArray a) => a.Length * 100);
    }
}
