using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>The per-signature code that Scoped.Dispatch.Generators writes at build time, and the late-bound path for
/// delegate types it cannot see.</summary>
[TestClass]
public sealed class GeneratedGlueTests
{
    [TestMethod]
    public void TwoDispatchablePositionsGivenAsConstantsTakeTheAllocationFreePath()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, int, object, string>>($"{domain}:pair", null, 0, 2);
        using var scope = Backend.Use(new DispatchBackend(TestKit.NewName("pair"), domain)
            .Implement(method, (HostArray a, int n, DeviceArray b) => n > 0 ? "host-device" : "")
            .Implement(method, (HostArray a, int n, HostArray b) => n > 0 ? "host-host" : ""));
        HostArray host = new(), other = new();
        DeviceArray device = new();
        Assert.AreEqual("host-device", method.Invoke(host, 1, device));
        Assert.AreEqual("host-host", method.Invoke(host, 2, other));
        Assert.AreEqual("", method.Invoke(host, 0, other));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) method.Invoke(host, 4, other);
        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before, "a cached call with two dispatchable arguments must not allocate");
    }

    [TestMethod]
    public void DispatchPositionsOnlyKnownAtRunTimeStillDispatchOnTheRightArguments()
    {
        var domain = TestKit.NewDomain();
        int[] positions = [Environment.ProcessorCount > 0 ? 2 : 0, 0]; // not a constant the generator could read
        var method = Multimethod.Create<Func<object, int, object, string>>($"{domain}:pair", null, positions);
        using var scope = Backend.Use(new DispatchBackend(TestKit.NewName("late"), domain)
            .Implement(method, (HostArray a, int n, DeviceArray b) => $"device at 2, {n}"));
        Assert.AreEqual("device at 2, 5", method.Invoke(new HostArray(), 5, new DeviceArray()));
        Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray(), 5, new HostArray()));
    }

    [TestMethod]
    public void AnImplementationOfADelegateTypeNoGeneratorSawRunsLateBoundWithItsOwnExceptions()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var late = Throwing<DeviceArray>(TestKit.NewName("late"), domain, method);
        Backend.Register(late); // owns DeviceArray in this test's domain only, and is unregistered after
        try
        {
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => method.Invoke(new DeviceArray("d")));
            Assert.AreEqual("thrown for d", ex.Message, "the implementation's exception reaches the caller unwrapped");
            StringAssert.Contains(ex.StackTrace, nameof(Throwing), "with the implementation's own stack");
            using (Backend.Use(TestKit.Answering<SubHostArray>(TestKit.NewName("sub"), domain, method)))
            {
                Assert.AreEqual("default", method.Invoke(new HostArray()));
                Assert.AreNotEqual("default", method.Invoke(new SubHostArray()));
            }
        }
        finally { Backend.Unregister(late.Name); }
    }

    [TestMethod]
    public void AroundOpensItsScopeForEachCallAndClosesItOnEveryPath()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, string>>($"{domain}:op", a => a is DeviceArray ? throw new ArgumentException("no devices") : "inner");
        var open = 0;
        var calls = 0;
        var wrapped = method.Around(method.DefaultImplementation!, () =>
        {
            open++;
            calls++;
            return new Closer(() => open--);
        });
        Assert.AreEqual("inner", wrapped(new HostArray()));
        Assert.ThrowsExactly<ArgumentException>(() => wrapped(new DeviceArray()));
        Assert.AreEqual(0, open, "every scope opened was closed, also when the call threw");
        Assert.AreEqual(2, calls);
        Assert.ThrowsExactly<ArgumentNullException>(() => method.Around(null!, () => null));
    }

    [TestMethod]
    [DataRow("Scoped.Dispatch")]
    [DataRow("Scoped.Image")]
    [DataRow("Scoped.Backends.Parallel")]
    public void TheLibraryCompilesNothingAtRunTime(string assembly)
    {
        // Expression trees compiled at run time are what trimming and native AOT cannot keep; none may be referenced.
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var namespaces = md.TypeReferences.Select(h => md.GetString(md.GetTypeReference(h).Namespace)).Distinct().ToArray();
        CollectionAssert.DoesNotContain(namespaces, "System.Linq.Expressions", $"{assembly} references expression trees");
        CollectionAssert.DoesNotContain(namespaces, "System.Reflection.Emit", $"{assembly} references Reflection.Emit");
    }

    private static DispatchBackend Throwing<TArg>(string name, string domain, Multimethod<Func<object, string>> method) where TArg : DeviceArray =>
        new DispatchBackend(name, domain).Owns<TArg>().Implement(method, string (TArg a) => throw new InvalidOperationException($"thrown for {a.Tag}"));

    private sealed class Closer(Action close) : IDisposable
    {
        public void Dispose() => close();
    }
}
