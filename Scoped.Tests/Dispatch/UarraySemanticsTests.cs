using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>Where Scoped follows uarray's resolution order: global backends of parent domains are tried after the
/// sub-domain's, and skips apply before <c>only</c>.</summary>
[TestClass]
public sealed class UarraySemanticsTests
{
    private sealed record Globals(string Parent, string Sub, Multimethod<Func<object, string>> Method, string SubName, string ParentName) : IDisposable
    {
        public void Dispose()
        {
            Backend.ClearDefault(Sub);
            Backend.ClearDefault(Parent);
            Backend.Unregister(SubName);
            Backend.Unregister(ParentName);
        }
    }

    /// <summary>A method in "parent.sub"; a global backend for the sub-domain that declines "small" arrays, and one for the parent.</summary>
    private static Globals SetupGlobals(bool subOnly)
    {
        var parent = TestKit.NewDomain();
        var sub = parent + ".sub";
        var method = TestKit.Unary(sub);
        var subName = TestKit.NewName("subglobal");
        var parentName = TestKit.NewName("parentglobal");
        Backend.Register(new DispatchBackend(subName, sub)
            .Implement(method, (HostArray _) => subName, decline: call => call.Argument<HostArray>(0).Tag == "small" ? "too small" : null));
        Backend.Register(TestKit.Answering<HostArray>(parentName, parent, method));
        var globals = new Globals(parent, sub, method, subName, parentName);
        Backend.SetDefault(subName, sub, only: subOnly);
        Backend.SetDefault(parentName, parent);
        return globals;
    }

    [TestMethod]
    public void WhenASubDomainsGlobalBackendDeclinesTheParentDomainsGlobalBackendRunsNext()
    {
        using var g = SetupGlobals(subOnly: false);
        Assert.AreEqual(g.SubName, g.Method.Invoke(new HostArray("big")), "the nearest global backend comes first");

        var explained = Backend.Explain(() => g.Method.Invoke(new HostArray("small")));
        Assert.AreEqual(g.ParentName, explained.Result, explained.ToString());
        var candidates = explained.Call!.Candidates;
        Assert.AreEqual(new CandidateReport(g.SubName, CandidateOrigin.GlobalDefault, CandidateOutcome.Declined, "too small"), candidates[0]);
        Assert.AreEqual(g.ParentName, candidates[1].Backend);
        Assert.AreEqual(CandidateOrigin.GlobalDefault, candidates[1].Origin);
        Assert.AreEqual(CandidateOutcome.Selected, candidates[1].Outcome);
    }

    [TestMethod]
    public void ASubDomainsGlobalBackendSetWithOnlyStillEndsTheSearch()
    {
        using var g = SetupGlobals(subOnly: true);
        var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => g.Method.Invoke(new HostArray("small")));
        Assert.IsFalse(ex.Candidates.Any(c => c.Backend == g.ParentName), ex.Message);
    }

    [TestMethod]
    public void ASkippedBackendsOnlyScopeDoesNotEndTheSearch()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var a = TestKit.Answering<HostArray>(TestKit.NewName("a"), domain, method);
        var b = TestKit.Answering<HostArray>(TestKit.NewName("b"), domain, method);

        // Skip outside the strict scope...
        using (Backend.Use(b))
        using (Backend.Skip(a.Name))
        using (Backend.Use(a, only: true))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual(b.Name, explained.Result, explained.ToString());
            Assert.AreEqual(CandidateOutcome.Skipped, explained.Call!.Candidates[0].Outcome);
        }
        // ...or inside it: the skip removes the backend, and with it the end of the list it would have made.
        using (Backend.Use(a, only: true))
        using (Backend.Skip(a.Name))
            Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void ASkippedGlobalBackendSetWithOnlyDoesNotEndTheSearch()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("strictglobal");
        Backend.Register(TestKit.Answering<HostArray>(name, domain, method));
        try
        {
            Backend.SetDefault(name, domain, only: true);
            Assert.AreEqual(name, method.Invoke(new HostArray()));
            using (Backend.Skip(name))
                Assert.AreEqual("default", method.Invoke(new HostArray()));
        }
        finally
        {
            Backend.ClearDefault(domain);
            Backend.Unregister(name);
        }
    }
}
