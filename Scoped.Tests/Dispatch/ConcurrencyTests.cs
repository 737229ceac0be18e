using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

[TestClass]
public sealed class ConcurrencyTests
{
    /// <summary>64 async flows, each with its own random nesting of Use/Skip/only scopes and awaits between calls,
    /// make 10,240 calls in all; every call's result (the name of the backend that ran it) must be what that flow's
    /// own scope stack predicts. Any cross-talk between flows shows up as a wrong name.</summary>
    [TestMethod]
    public async Task ConcurrentFlowsNeverSeeEachOthersScopes()
    {
        const int Flows = 64, CallsPerFlow = 160;
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backends = Enumerable.Range(0, 6).Select(i => TestKit.Answering<HostArray>(TestKit.NewName($"c{i}-"), domain, method)).ToArray();
        foreach (var b in backends) Backend.Register(b);
        var calls = 0;
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Flows).Select(flow => Task.Run(async () =>
            {
                var random = new Random(flow);
                var stack = new Stack<(IDisposable Scope, string? Use, string? Skip)>();
                for (var i = 0; i < CallsPerFlow; i++)
                {
                    switch (random.Next(4))
                    {
                        case 0 when stack.Count < 5:
                            var use = backends[random.Next(backends.Length)].Name;
                            stack.Push((Backend.Use(use), use, null));
                            break;
                        case 1 when stack.Count < 5:
                            var skip = backends[random.Next(backends.Length)].Name;
                            stack.Push((Backend.Skip(skip), null, skip));
                            break;
                        case 2 when stack.Count > 0:
                            stack.Pop().Scope.Dispose();
                            break;
                    }
                    if (random.Next(3) == 0) await Task.Yield();
                    var expected = Expected(stack);
                    var actual = random.Next(2) == 0 ? method.Invoke(new HostArray()) : await Task.Run(() => method.Invoke(new HostArray()));
                    Interlocked.Increment(ref calls);
                    if (actual != expected) wrong.Add($"flow {flow} call {i}: expected {expected}, got {actual}");
                }
                while (stack.Count > 0) stack.Pop().Scope.Dispose();
            })));
        }
        finally
        {
            foreach (var b in backends) Backend.Unregister(b.Name);
        }
        Assert.AreEqual(Flows * CallsPerFlow, calls);
        Assert.IsTrue(wrong.IsEmpty, string.Join(Environment.NewLine, wrong.Take(10)));
        Assert.AreEqual("(no scope)", Backend.CurrentScope);

        static string Expected(Stack<(IDisposable Scope, string? Use, string? Skip)> stack)
        {
            var skipped = stack.Where(s => s.Skip is not null).Select(s => s.Skip!).ToHashSet();
            foreach (var frame in stack) // innermost first
                if (frame.Use is not null && !skipped.Contains(frame.Use)) return frame.Use;
            return "default";
        }
    }

    [TestMethod]
    public async Task RegistrationWhileCallingIsSafe()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                if (method.Invoke(new HostArray()) != "default") Interlocked.Increment(ref failures);
        })).ToArray();
        for (var i = 0; i < 200; i++)
        {
            var b = new DispatchBackend(TestKit.NewName("churn"), domain).Implement(method, (HostArray _) => "churn");
            Backend.Register(b);
            Backend.Unregister(b.Name);
        }
        stop.Cancel();
        await Task.WhenAll(callers);
        Assert.AreEqual(0, failures);
    }
}
