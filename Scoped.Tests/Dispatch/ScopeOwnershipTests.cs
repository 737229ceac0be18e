using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>
/// Who can close a scope: disposing acts on the calling async flow only, so a Dispose in a flow the scope flowed into
/// never takes the opener's Dispose away; and Explain always gives the flow back as it found it.
/// </summary>
[TestClass]
public sealed class ScopeOwnershipTests
{
    private static (Multimethod<Func<object, string>> Method, DispatchBackend A, DispatchBackend B) Setup()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        return (method, Answering(TestKit.NewName("a"), domain, method), Answering(TestKit.NewName("b"), domain, method));
    }

    /// <summary>As <see cref="TestKit.Answering{TArg}"/> for host arrays, with the delegate type written out so that its
    /// adapter is generated (a generic one runs late-bound, which allocates).</summary>
    private static DispatchBackend Answering(string name, string domain, Multimethod<Func<object, string>> method) =>
        new DispatchBackend(name, domain).Implement(method, (HostArray _) => name);

    [TestMethod]
    public async Task DisposingInATaskRunClosesTheScopeThereOnlyAndTheOpenerCanStillCloseIt()
    {
        var (method, a, _) = Setup();
        var scope = Backend.Use(a);
        var inChild = await Task.Run(() =>
        {
            scope.Dispose();
            return method.Invoke(new HostArray());
        });
        Assert.AreEqual("default", inChild, "the child flow's Dispose closes the scope in the child flow");
        Assert.AreEqual(a.Name, method.Invoke(new HostArray()), "a child flow's change never reaches the opener");

        scope.Dispose();
        Assert.AreEqual("default", method.Invoke(new HostArray()), "the opener's Dispose must still close the scope");
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }

    [TestMethod]
    public void DisposingInsideParallelForLeavesTheOpenersDisposeWorking()
    {
        var (method, a, _) = Setup();
        var scope = Backend.Use(a);
        Parallel.For(0, 32, _ => scope.Dispose());

        Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
        scope.Dispose();
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void DisposingOnANewThreadLeavesTheOpenersDisposeWorking()
    {
        var (method, a, _) = Setup();
        var scope = Backend.Use(a);
        string? onThread = null;
        var thread = new Thread(() =>
        {
            scope.Dispose();
            onThread = method.Invoke(new HostArray());
        });
        thread.Start();
        thread.Join();

        Assert.AreEqual("default", onThread);
        Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
        scope.Dispose();
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public async Task DisposingOutOfOrderInAChildFlowThrowsAndChangesNothing()
    {
        var (method, a, b) = Setup();
        var outer = Backend.Use(a);
        var message = await Task.Run(() =>
        {
            using var inner = Backend.Use(b);
            var ex = Assert.ThrowsExactly<InvalidOperationException>(() => outer.Dispose());
            Assert.AreEqual(b.Name, method.Invoke(new HostArray()), "the child's stack is unchanged");
            return ex.Message;
        });
        StringAssert.Contains(message, "innermost");
        outer.Dispose();
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void DisposingAClosedScopeAgainDoesNotCloseALaterScopeOfTheSameShape()
    {
        var (method, a, _) = Setup();
        var first = Backend.Use(a);
        first.Dispose();
        using var second = Backend.Use(a); // the same interned node as the first
        first.Dispose();
        Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void TheCachedPathInsideAScopeAllocatesNothing()
    {
        var (method, a, _) = Setup();
        var argument = new HostArray();
        using (Backend.Use(a))
        {
            for (var i = 0; i < 100; i++) Assert.AreEqual(a.Name, method.Invoke(argument)); // resolve and cache
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++) method.Invoke(argument);
            Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before, "a cached dispatched call must not allocate");
        }
    }

    [TestMethod]
    public void AScopeLeftOpenInsideExplainEndsWithItAndTheResultIsKept()
    {
        var (method, a, _) = Setup();
        var explained = Backend.Explain(() =>
        {
            Backend.Use(a); // deliberately left open
            return method.Invoke(new HostArray());
        });

        Assert.AreEqual(a.Name, explained.Result);
        Assert.AreEqual(a.Name, explained.Backend);
        Assert.AreEqual("(no scope)", Backend.CurrentScope, "the Explain frame and the scope left open must be gone");
        Assert.AreEqual("default", method.Invoke(new HostArray()));
        // Later calls are no longer recorded: a new Explain sees only its own call.
        Assert.AreEqual(1, Backend.Explain(() => method.Invoke(new HostArray())).Calls.Count);
    }

    [TestMethod]
    public void AnExceptionFromExplainedCodeThatLeftAScopeOpenReachesTheCallerAndTheFlowIsRestored()
    {
        var (method, a, _) = Setup();
        Assert.ThrowsExactly<FormatException>(() => Backend.Explain<string>(() =>
        {
            Backend.Use(a);
            throw new FormatException("from the explained code");
        }));
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void DisposingAnOuterScopeInsideExplainThrowsAndTheOuterScopeStaysUsable()
    {
        var (method, a, _) = Setup();
        var outer = Backend.Use(a);
        Assert.ThrowsExactly<InvalidOperationException>(() => Backend.Explain(() =>
        {
            outer.Dispose();
            return 0;
        }));
        Assert.AreEqual(a.Name, method.Invoke(new HostArray()));
        outer.Dispose();
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }
}
