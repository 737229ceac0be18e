using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

[TestClass]
public sealed class ScopeTests
{
    private static (Multimethod<Func<object, string>> Method, DispatchBackend A, DispatchBackend B) Setup()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        return (method, TestKit.Answering<HostArray>(TestKit.NewName("a"), domain, method), TestKit.Answering<HostArray>(TestKit.NewName("b"), domain, method));
    }

    [TestMethod]
    public void DisposingOutOfOrderThrowsAndLeavesTheStackUsable()
    {
        var (method, a, b) = Setup();
        var outer = Backend.Use(a);
        var inner = Backend.Use(b);
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => outer.Dispose());
        StringAssert.Contains(ex.Message, "innermost");
        // Unchanged: the inner scope is still in force, and proper disposal still works.
        Assert.AreEqual(b.Name, method.Invoke(new HostArray()));
        inner.Dispose();
        Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
        outer.Dispose();
        Assert.AreEqual("default", method.Invoke(new HostArray()));
        // Disposing twice is harmless.
        outer.Dispose();
        inner.Dispose();
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }

    [TestMethod]
    public async Task ScopesFlowIntoAwaitTaskRunAndParallelFor()
    {
        var (method, a, _) = Setup();
        using (Backend.Use(a))
        {
            await Task.Yield();
            Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
            Assert.AreEqual(a.Name, await Task.Run(() => method.Invoke(new HostArray())));
            var seen = new string[64];
            Parallel.For(0, seen.Length, i => seen[i] = method.Invoke(new HostArray()));
            Assert.IsTrue(seen.All(s => s == a.Name));
        }
    }

    [TestMethod]
    public async Task AChildFlowsScopeNeverReachesItsParentOrSiblings()
    {
        var (method, a, b) = Setup();
        using var gate = new SemaphoreSlim(0);
        async Task<string> Child(DispatchBackend backend)
        {
            Backend.Use(backend); // deliberately never disposed: it must still not leak out of this flow
            await gate.WaitAsync();
            return method.Invoke(new HostArray());
        }
        var first = Child(a);
        var second = Child(b);
        Assert.AreEqual("default", method.Invoke(new HostArray()), "the parent must not see a child's scope");
        gate.Release(2);
        Assert.AreEqual(a.Name, await first);
        Assert.AreEqual(b.Name, await second);
        Assert.AreEqual("default", method.Invoke(new HostArray()));
        await Task.Run(() => Backend.Use(a));
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void CapturedStateCanBeReappliedOnAThreadThatDoesNotFlowTheContext()
    {
        var (method, a, _) = Setup();
        DispatchState state;
        using (Backend.Use(a, only: true)) state = Backend.CaptureState();

        string? without = null, with = null, after = null;
        using var done = new ManualResetEventSlim();
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            without = method.Invoke(new HostArray());
            with = state.Run(() => method.Invoke(new HostArray()));
            after = method.Invoke(new HostArray());
            done.Set();
        }, null);
        Assert.IsTrue(done.Wait(TimeSpan.FromSeconds(30)));
        Assert.AreEqual("default", without);
        Assert.AreEqual(a.Name, with);
        Assert.AreEqual("default", after);
        StringAssert.Contains(state.ToString(), a.Name);
    }

    [TestMethod]
    public void ScopesOfTheSameShapeShareTheirResolutionCache()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("shared");
        var backend = TestKit.Answering<HostArray>(name, domain, method);
        Backend.Register(backend);
        try
        {
            DispatchState first, second;
            using (Backend.Use(name)) first = Backend.CaptureState();
            using (Backend.Use(name)) second = Backend.CaptureState();
            Assert.AreSame(first.Node, second.Node);
        }
        finally { Backend.Unregister(name); }
    }
}

[TestClass]
public sealed class InteropTests
{
    private sealed class Device
    {
        public int Uploads, Downloads;
        public DispatchBackend Backend(string domain, Multimethod method, Delegate implementation) =>
            new DispatchBackend(TestKit.NewName("gpu"), domain)
                .Owns<DeviceArray>()
                .Implement(method, implementation)
                .AddConverter<HostArray, DeviceArray>(h => { Interlocked.Increment(ref Uploads); return new DeviceArray(h.Tag); }, _ => 64)
                .AddConverter<DeviceArray, HostArray>(d => { Interlocked.Increment(ref Downloads); return new HostArray(d.Tag + "+back"); }, _ => 64);
    }

    [TestMethod]
    public void HostArraysAreConvertedOnlyInAnInteropScopeAndResultsComeBackAsHostArrays()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, object>>($"{domain}:op", a => new HostArray("default"));
        var device = new Device();
        var gpu = device.Backend(domain, method, (DeviceArray d) => (object)new DeviceArray("gpu:" + d.Tag));
        Backend.Register(gpu);
        try
        {
            var input = new HostArray("x");
            // Registered and owning DeviceArray, but host arrays do not reach it without an interop scope.
            Assert.AreEqual("default", ((HostArray)method.Invoke(input)).Tag);
            using (Backend.Use(gpu.Name))
            {
                var explained = Backend.Explain(() => method.Invoke(input));
                Assert.AreEqual(CandidateOutcome.NeedsConversion, explained.Call!.Candidates[0].Outcome);
                StringAssert.Contains(explained.Call.Candidates[0].Reason, "Interop");
            }
            using (Backend.Interop(gpu.Name))
            {
                var explained = Backend.Explain(() => method.Invoke(input));
                var result = (HostArray)explained.Result;
                Assert.AreEqual("gpu:x+back", result.Tag);
                Assert.AreEqual(gpu.Name, explained.Backend);
                Assert.AreEqual(2, explained.Call!.Conversions.Count);
                Assert.AreEqual("result", explained.Call.Conversions[1].Parameter);
                Assert.AreEqual(64, explained.Call.Conversions[0].Bytes);
            }
            Assert.AreEqual((1, 1), (device.Uploads, device.Downloads));
            Assert.AreEqual("x", input.Tag, "the input is not modified");
            // Device arrays go to the owner with no scope and stay on the device.
            Assert.IsInstanceOfType<DeviceArray>(method.Invoke(new DeviceArray("d")));
        }
        finally { Backend.Unregister(gpu.Name); }
    }

    [TestMethod]
    public void EachDistinctInputIsConvertedOncePerCall()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, object, object, string>>($"{domain}:op3", null, 0, 1, 2);
        var device = new Device();
        var gpu = device.Backend(domain, method, (DeviceArray a, DeviceArray b, DeviceArray c) => a.Tag + b.Tag + c.Tag);
        var shared = new HostArray("s");
        using (Backend.Interop(gpu))
            Assert.AreEqual("sst", method.Invoke(shared, shared, new HostArray("t")));
        Assert.AreEqual(2, device.Uploads);
    }
}

/// <summary>In interop scopes the dispatcher owns what it converts: it frees it on every path, and lets a backend
/// decline before paying for a conversion.</summary>
[TestClass]
public sealed class InteropLifetimeTests
{
    private sealed class OwnedArray(string tag) : IDisposable
    {
        public string Tag { get; } = tag;
        public int Disposals;
        public void Dispose() => Disposals++;
    }

    private sealed class Device
    {
        public readonly List<OwnedArray> Made = [];
        public int Uploads;
        public OwnedArray Upload(HostArray host) { Uploads++; var d = new OwnedArray(host.Tag); Made.Add(d); return d; }
        public OwnedArray Make(string tag) { var d = new OwnedArray(tag); Made.Add(d); return d; }
    }

    /// <summary>A backend that declines host arrays tagged "small" before conversion.</summary>
    private sealed class ThresholdBackend(string name, string domain) : DispatchBackend(name, domain)
    {
        public List<Type> Seen { get; } = [];
        public override string? Decline(DispatchCall call)
        {
            Seen.Add(call.Arguments[0]!.GetType());
            return call.Arguments[0] is HostArray { Tag: "small" } ? "too small to upload" : null;
        }
    }

    private static (ThresholdBackend Backend, Device Device, Multimethod<Func<object, object>> Method) Setup(Func<Device, OwnedArray, object> implementation)
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, object>>($"{domain}:op", a => new HostArray("default"));
        var device = new Device();
        var backend = new ThresholdBackend(TestKit.NewName("gpu"), domain);
        backend.Owns<OwnedArray>()
            .Implement(method, (OwnedArray a) => implementation(device, a))
            .AddConverter<HostArray, OwnedArray>(device.Upload)
            .AddConverter<OwnedArray, HostArray>(d => new HostArray(d.Tag + "+back"));
        Backend.Register(backend);   // registered, so OwnedArray is its kind of array and results convert back
        _registered.Add(backend.Name);
        return (backend, device, method);
    }

    private static readonly List<string> _registered = [];

    [TestCleanup]
    public void Unregister()
    {
        foreach (var name in _registered) Backend.Unregister(name);
        _registered.Clear();
    }

    [TestMethod]
    public void ConvertedInputsAndTheConvertedBackResultAreFreedOnceAfterTheCall()
    {
        var (backend, device, method) = Setup((d, a) => d.Make("r:" + a.Tag));
        using (Backend.Interop(backend, only: true))
            Assert.AreEqual("r:x+back", ((HostArray)method.Invoke(new HostArray("x"))).Tag);

        Assert.AreEqual(2, device.Made.Count, "one upload, one result");
        Assert.IsTrue(device.Made.All(a => a.Disposals == 1), string.Join(", ", device.Made.Select(a => $"{a.Tag}:{a.Disposals}")));
    }

    [TestMethod]
    public void AnImplementationThatReturnsItsInputIsFreedOnce()
    {
        var (backend, device, method) = Setup((_, a) => a);
        using (Backend.Interop(backend, only: true))
            Assert.AreEqual("x+back", ((HostArray)method.Invoke(new HostArray("x"))).Tag);
        Assert.AreEqual(1, device.Made.Single().Disposals);
    }

    [TestMethod]
    public void ConvertedInputsAreFreedWhenTheImplementationThrows()
    {
        var (backend, device, method) = Setup((_, _) => throw new InvalidOperationException("kernel failed"));
        using (Backend.Interop(backend, only: true))
            Assert.AreEqual("kernel failed", Assert.Throws<InvalidOperationException>(() => method.Invoke(new HostArray("x"))).Message);
        Assert.AreEqual(1, device.Made.Single().Disposals);
    }

    [TestMethod]
    public void TheBackendDeclinesOnTheCallersArgumentsBeforeAnyConversion()
    {
        var (backend, device, method) = Setup((d, a) => d.Make("r"));
        using (Backend.Interop(backend))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray("small")));
            Assert.AreEqual("default", ((HostArray)explained.Result).Tag);
            Assert.AreEqual(CandidateOutcome.Declined, explained.Call!.Candidates[0].Outcome);
            Assert.AreEqual("too small to upload", explained.Call.Candidates[0].Reason);
        }
        Assert.AreEqual(0, device.Uploads, "a declined call must not pay for a conversion");
        CollectionAssert.AreEqual(new[] { typeof(HostArray) }, backend.Seen, "Decline sees the caller's arguments");

        // Called with its own arrays, Decline sees those.
        Assert.IsInstanceOfType<OwnedArray>(method.Invoke(new OwnedArray("d")), "owned arrays need no scope");
        Assert.AreEqual(typeof(OwnedArray), backend.Seen[^1]);
    }

    [TestMethod]
    public void AnImplementationDeclineAfterConversionStillFreesTheConvertedInputs()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, object>>($"{domain}:op", a => new HostArray("default"));
        var device = new Device();
        var backend = new DispatchBackend(TestKit.NewName("gpu"), domain)
            .Owns<OwnedArray>()
            .Implement(method, (OwnedArray a) => (object)a, decline: call => "not this one")
            .AddConverter<HostArray, OwnedArray>(device.Upload)
            .AddConverter<OwnedArray, HostArray>(d => new HostArray(d.Tag));
        Backend.Register(backend);
        _registered.Add(backend.Name);
        using (Backend.Interop(backend.Name))
            Assert.AreEqual("default", ((HostArray)method.Invoke(new HostArray("x"))).Tag);
        Assert.AreEqual(1, device.Made.Single().Disposals);
    }
}
