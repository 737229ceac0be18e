using Moq;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>A backend whose own checks throw (UnavailableReason, Decline) is passed over with the exception as the
/// reason; it never breaks the registry listing or reaches the caller.</summary>
[TestClass]
public sealed class FaultyBackendTests
{
    private static Mock<DispatchBackend> MockBackend(string name, string domain) => new(name, new[] { domain }) { CallBase = true };

    [TestMethod]
    public void ABackendWhoseUnavailableReasonThrowsIsListedAndPassedOverAsUnavailable()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("crashy");
        var mock = MockBackend(name, domain);
        mock.Setup(b => b.UnavailableReason).Throws(new InvalidOperationException("driver crashed"));
        mock.Object.Implement(method, (HostArray _) => name);
        Backend.Register(mock.Object);
        try
        {
            var info = Backend.Registered.Single(b => b.Name == name);
            Assert.IsNotNull(info.UnavailableReason);
            StringAssert.Contains(info.UnavailableReason, "driver crashed");
            StringAssert.Contains(info.UnavailableReason, nameof(InvalidOperationException));

            DispatchExplanation<string> explained;
            using (Backend.Use(name))
                explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Result);
            var first = explained.Call!.Candidates[0];
            Assert.AreEqual(name, first.Backend);
            Assert.AreEqual(CandidateOutcome.Unavailable, first.Outcome, explained.ToString());
            StringAssert.Contains(first.Reason, "driver crashed");
        }
        finally
        {
            Backend.Unregister(name);
        }
    }

    [TestMethod]
    public void ABackendDeclineThatThrowsCountsAsADeclineWithTheExceptionAsItsReason()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("judge");
        var mock = MockBackend(name, domain);
        mock.Setup(b => b.Decline(It.IsAny<DispatchCall>())).Throws(new ArgumentOutOfRangeException("size", "cannot judge this size"));
        mock.Object.Implement(method, (HostArray _) => name);

        DispatchExplanation<string> explained;
        using (Backend.Use(mock.Object))
            explained = Backend.Explain(() => method.Invoke(new HostArray()));

        Assert.AreEqual("default", explained.Result);
        var first = explained.Call!.Candidates[0];
        Assert.AreEqual(CandidateOutcome.Declined, first.Outcome, explained.ToString());
        StringAssert.Contains(first.Reason, "cannot judge this size");
        StringAssert.Contains(first.Reason, nameof(ArgumentOutOfRangeException));
        mock.Verify(b => b.Decline(It.IsAny<DispatchCall>()), Times.Once());
    }

    [TestMethod]
    public void AnImplementationDeclineThatThrowsCountsAsADeclineAndOnlyReportsIt()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("picky");
        var backend = new DispatchBackend(name, domain)
            .Implement(method, (HostArray _) => name, decline: _ => throw new InvalidOperationException("decline blew up"));

        using (Backend.Use(backend))
            Assert.AreEqual("default", method.Invoke(new HostArray()));

        // With no fallback, the caller gets the dispatcher's own exception with the reason, not the decline's exception.
        using (Backend.Use(backend, only: true))
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
            StringAssert.Contains(ex.Message, "decline blew up");
            Assert.AreEqual(CandidateOutcome.Declined, ex.Candidates[0].Outcome);
        }
    }
}
