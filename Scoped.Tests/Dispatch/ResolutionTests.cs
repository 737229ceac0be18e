using System.Diagnostics;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

[TestClass]
public sealed class ResolutionTests
{
    [TestMethod]
    public void WithNoScopeTheDefaultRuns()
    {
        var method = TestKit.Unary(TestKit.NewDomain());
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void InnermostScopeWinsAndClosingRestoresTheOuter()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var a = TestKit.Answering<HostArray>("a", domain, method);
        var b = TestKit.Answering<HostArray>("b", domain, method);
        using (Backend.Use(a))
        {
            Assert.AreEqual("a", method.Invoke(new HostArray()));
            using (Backend.Use(b)) Assert.AreEqual("b", method.Invoke(new HostArray()));
            Assert.AreEqual("a", method.Invoke(new HostArray()));
        }
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void WithoutOnlyACallFallsBackPastAScopedBackendThatCannotRunIt()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var deviceOnly = TestKit.Answering<DeviceArray>("dev", domain, method);
        using (Backend.Use(deviceOnly))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Result);
            Assert.IsTrue(explained.Call!.IsFallback);
            Assert.AreEqual(CandidateOutcome.NoImplementation, explained.Call.Candidates[0].Outcome);
        }
    }

    [TestMethod]
    public void OnlyEndsTheWalkAtItsFrame()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var outer = TestKit.Answering<HostArray>("outer", domain, method);
        var strict = TestKit.Answering<DeviceArray>("strict", domain, method);
        using (Backend.Use(outer))
        using (Backend.Use(strict, only: true))
        {
            Assert.AreEqual("strict", method.Invoke(new DeviceArray()));
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
            Assert.AreEqual(1, ex.Candidates.Count, ex.Message);
            Assert.AreEqual("strict", ex.Candidates[0].Backend);
            StringAssert.Contains(ex.Message, "implements op only for (DeviceArray)");
        }
        // The stack is usable after the exception.
        Assert.AreEqual("default", method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void SkipRemovesABackendEverywhereEvenFromInnerScopes()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var a = TestKit.Answering<HostArray>(TestKit.NewName("skipme"), domain, method);
        using (Backend.Skip(a.Name))
        using (Backend.Use(a))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Result);
            Assert.AreEqual(CandidateOutcome.Skipped, explained.Call!.Candidates[0].Outcome);
        }
        using (Backend.Skip("default"))
            Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
    }

    [TestMethod]
    public void AScopeForAnotherDomainIsIgnoredEvenWithOnly()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var elsewhere = new DispatchBackend("elsewhere", TestKit.NewDomain());
        using (Backend.Use(elsewhere, only: true))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Result);
            Assert.AreEqual(CandidateOutcome.NotInDomain, explained.Call!.Candidates[0].Outcome);
        }
    }

    [TestMethod]
    public void UseOfAnUnknownNameIsRejected()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Backend.Use("no-such-backend-anywhere"));
        StringAssert.Contains(ex.Message, "no-such-backend-anywhere");
        Assert.AreEqual("name", ex.ParamName);
    }

    [TestMethod]
    public void AnOwnerIsFoundWithoutAnyScopeButAnAlternativeForHostTypesNeedsOptIn()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var owner = new DispatchBackend(TestKit.NewName("owner"), domain).Owns<DeviceArray>().Implement(method, (DeviceArray _) => "owner");
        var alternative = new DispatchBackend(TestKit.NewName("alt"), domain).Implement(method, (HostArray _) => "alt");
        Backend.Register(owner);
        Backend.Register(alternative);
        try
        {
            var device = Backend.Explain(() => method.Invoke(new DeviceArray()));
            Assert.AreEqual("owner", device.Result);
            Assert.AreEqual(CandidateOrigin.Owner, device.Call!.Candidates[0].Origin);
            // Registering (installing) the alternative changes nothing for host arrays...
            Assert.AreEqual("default", method.Invoke(new HostArray()));
            // ...until the user opts in.
            using (Backend.Use(alternative.Name)) Assert.AreEqual("alt", method.Invoke(new HostArray()));
        }
        finally
        {
            Backend.Unregister(owner.Name);
            Backend.Unregister(alternative.Name);
        }
    }

    [TestMethod]
    public void TheDefaultImplementationDoesNotTakeArraysOwnedByABackend()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var owner = new DispatchBackend(TestKit.NewName("owner"), domain).Owns<DeviceArray>();
        Backend.Register(owner);
        try
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new DeviceArray()));
            StringAssert.Contains(ex.Message, "does not implement op");
            StringAssert.Contains(ex.Message, $"owned by '{owner.Name}'");
            Assert.AreEqual(2, ex.Candidates.Count);
        }
        finally { Backend.Unregister(owner.Name); }
    }

    [TestMethod]
    public void GlobalDefaultRunsAfterScopesAndBeforeRegisteredBackends()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var global = TestKit.Answering<HostArray>(TestKit.NewName("global"), domain, method);
        var scoped = TestKit.Answering<HostArray>(TestKit.NewName("scoped"), domain, method);
        Backend.Register(global);
        try
        {
            Backend.SetDefault(global.Name);
            Assert.AreEqual(global.Name, method.Invoke(new HostArray()));
            using (Backend.Use(scoped)) Assert.AreEqual(scoped.Name, method.Invoke(new HostArray()));
            // A global default for a parent domain serves its sub-domains.
            var child = Multimethod.Create<Func<object, string>>($"{domain}.sub:op", _ => "default");
            global.Implement(child, (HostArray _) => "global-child");
            Assert.AreEqual("global-child", child.Invoke(new HostArray()));
            Backend.ClearDefault(domain);
            Assert.AreEqual("default", method.Invoke(new HostArray()));
        }
        finally { Backend.Unregister(global.Name); }
    }

    [TestMethod]
    public void GlobalDefaultTryLastGoesAfterOwnersAndOnlyStopsTheWalk()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var owner = new DispatchBackend(TestKit.NewName("owner"), domain).Owns<DeviceArray>().Implement(method, (DeviceArray _) => "owner");
        var global = new DispatchBackend(TestKit.NewName("global"), domain).Implement(method, (object _) => "global");
        Backend.Register(owner);
        Backend.Register(global);
        try
        {
            Backend.SetDefault(global.Name, tryLast: true);
            Assert.AreEqual("owner", method.Invoke(new DeviceArray()));
            Assert.AreEqual("global", method.Invoke(new HostArray()));
            Backend.SetDefault(global.Name);
            Assert.AreEqual("global", method.Invoke(new DeviceArray()));

            var hostOnly = new DispatchBackend(TestKit.NewName("hostonly"), domain).Implement(method, (HostArray _) => "hostonly");
            Backend.Register(hostOnly);
            Backend.SetDefault(hostOnly.Name, only: true);
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new DeviceArray()));
            Assert.AreEqual(1, ex.Candidates.Count, ex.Message);
            Backend.Unregister(hostOnly.Name);
            Assert.AreEqual("owner", method.Invoke(new DeviceArray()));
        }
        finally
        {
            Backend.ClearDefault(domain);
            Backend.Unregister(owner.Name);
            Backend.Unregister(global.Name);
        }
        Assert.ThrowsExactly<ArgumentException>(() => Backend.SetDefault("not-registered-anywhere"));
    }

    [TestMethod]
    public void CachedResolutionIsRenewedWhenRegistrationsChange()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backend = new DispatchBackend(TestKit.NewName("late"), domain);
        using (Backend.Use(backend))
        {
            Assert.AreEqual("default", method.Invoke(new HostArray()));
            Assert.AreEqual("default", method.Invoke(new HostArray()));
            backend.Implement(method, (HostArray _) => "late");
            Assert.AreEqual("late", method.Invoke(new HostArray()));
        }
    }

    [TestMethod]
    public void TheFailureListsEveryCandidateInOrderWithItsReason()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain, withDefault: false);
        var skipped = TestKit.Answering<HostArray>(TestKit.NewName("skipped"), domain, method);
        var declining = new DispatchBackend(TestKit.NewName("declining"), domain).Implement(method, (HostArray _) => "never", _ => "too small");
        var needsConversion = new DispatchBackend(TestKit.NewName("convert"), domain)
            .Implement(method, (DeviceArray _) => "x").AddConverter<HostArray, DeviceArray>(_ => new DeviceArray());
        var empty = new DispatchBackend(TestKit.NewName("empty"), domain);
        using (Backend.Use(empty))
        using (Backend.Use(needsConversion))
        using (Backend.Use(declining))
        using (Backend.Use(skipped))
        using (Backend.Skip(skipped.Name))
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
            CollectionAssert.AreEqual(new[] { skipped.Name, declining.Name, needsConversion.Name, empty.Name }, ex.Candidates.Select(c => c.Backend).ToArray());
            CollectionAssert.AreEqual(new[] { CandidateOutcome.Skipped, CandidateOutcome.Declined, CandidateOutcome.NeedsConversion, CandidateOutcome.NoImplementation },
                ex.Candidates.Select(c => c.Outcome).ToArray());
            StringAssert.Contains(ex.Message, "too small");
            StringAssert.Contains(ex.Message, "interop scope");
            Assert.AreEqual(method.Name, ex.Multimethod);
        }
    }

    [TestMethod]
    public void ADecliningBackendPassesTheCallOnWithItsReason()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, int, string>>($"{domain}:op", (_, n) => "default");
        var picky = new DispatchBackend(TestKit.NewName("picky"), domain)
            .Implement(method, (HostArray _, int n) => "picky", call => call.Argument<int>(1) < 100 ? "below 100" : null);
        using (Backend.Use(picky))
        {
            Assert.AreEqual("picky", method.Invoke(new HostArray(), 500));
            var small = Backend.Explain(() => method.Invoke(new HostArray(), 5));
            Assert.AreEqual("default", small.Result);
            Assert.AreEqual(CandidateOutcome.Declined, small.Call!.Candidates[0].Outcome);
            Assert.AreEqual("below 100", small.Call.Candidates[0].Reason);
            Assert.IsTrue(small.Call.IsFallback);
        }
    }

    private sealed class SizeLimitedBackend : DispatchBackend
    {
        public SizeLimitedBackend(string domain, Multimethod<Func<object, string>> method) : base(TestKit.NewName("limited"), domain) =>
            Implement(method, (HostArray a) => "limited");

        public override string? Decline(DispatchCall call) =>
            call.Argument<HostArray>(0).Tag == "small" ? "image below the size threshold" : null;
    }

    [TestMethod]
    public void ABackendWideDeclineIsConsulted()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        using (Backend.Use(new SizeLimitedBackend(domain, method)))
        {
            Assert.AreEqual("limited", method.Invoke(new HostArray("big")));
            Assert.AreEqual("default", method.Invoke(new HostArray("small")));
        }
    }

    private sealed class OfflineBackend : DispatchBackend
    {
        public OfflineBackend(string domain, Multimethod<Func<object, string>> method) : base(TestKit.NewName("offline"), domain) =>
            Implement(method, (HostArray _) => "offline");

        public override string? UnavailableReason => "no device found";
    }

    [TestMethod]
    public void AnUnavailableBackendIsPassedOverWithItsReason()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        using (Backend.Use(new OfflineBackend(domain, method)))
        {
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            Assert.AreEqual("default", explained.Result);
            Assert.AreEqual(CandidateOutcome.Unavailable, explained.Call!.Candidates[0].Outcome);
            Assert.AreEqual("no device found", explained.Call.Candidates[0].Reason);
        }
    }

    [TestMethod]
    public void ExceptionsFromAnImplementationPropagateUnchangedAndAreNotRetried()
    {
        var domain = TestKit.NewDomain();
        var defaultCalls = 0;
        var method = Multimethod.Create<Func<object, string>>($"{domain}:op", _ => { defaultCalls++; return "default"; });
        var thrown = new InvalidDataException("boom");
        var failing = new DispatchBackend(TestKit.NewName("failing"), domain).Implement(method, new Func<HostArray, string>(_ => throw thrown));
        var decliningThenFailing = new DispatchBackend(TestKit.NewName("failing2"), domain).Implement(method, new Func<HostArray, string>(_ => throw thrown), _ => null);
        using (Backend.Use(failing))
            Assert.AreSame(thrown, Assert.ThrowsExactly<InvalidDataException>(() => method.Invoke(new HostArray())));
        using (Backend.Use(decliningThenFailing))
            Assert.AreSame(thrown, Assert.ThrowsExactly<InvalidDataException>(() => method.Invoke(new HostArray())));
        Assert.AreEqual(0, defaultCalls);
    }

    [TestMethod]
    public void AResultOfTheWrongKindIsAnErrorNamingTheBackend()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, object>>($"{domain}:op", a => a);
        var owner = new DispatchBackend(TestKit.NewName("kindowner"), domain).Owns<DeviceArray>();
        var sloppy = new DispatchBackend(TestKit.NewName("sloppy"), domain).Implement(method, (HostArray a) => (object)new DeviceArray());
        Backend.Register(owner);
        try
        {
            using (Backend.Use(sloppy))
            {
                var ex = Assert.ThrowsExactly<InvalidOperationException>(() => method.Invoke(new HostArray()));
                StringAssert.Contains(ex.Message, sloppy.Name);
                StringAssert.Contains(ex.Message, "DeviceArray");
            }
            // The same backend returning a host array is fine.
            var correct = new DispatchBackend(TestKit.NewName("correct"), domain).Implement(method, (HostArray a) => (object)new SubHostArray());
            using (Backend.Use(correct)) Assert.IsInstanceOfType<SubHostArray>(method.Invoke(new HostArray()));
        }
        finally { Backend.Unregister(owner.Name); }
    }

    [TestMethod]
    public void ResolutionOnlyExplainSaysWhatWouldRunWithoutRunningIt()
    {
        var domain = TestKit.NewDomain();
        var ran = 0;
        var method = Multimethod.Create<Func<object, string>>($"{domain}:op", _ => { ran++; return "default"; });
        var backend = TestKit.Answering<DeviceArray>(TestKit.NewName("dev"), domain, method);
        using (Backend.Use(backend))
        {
            var record = method.Explain(typeof(HostArray));
            Assert.AreEqual("default", record.Backend);
            Assert.AreEqual(CandidateOutcome.NoImplementation, record.Candidates[0].Outcome);
            Assert.AreEqual(backend.Name, method.Explain(typeof(DeviceArray)).Backend);
        }
        Assert.AreEqual(0, ran);
        Assert.ThrowsExactly<ArgumentException>(() => method.Explain(typeof(HostArray), typeof(HostArray)));
    }

    [TestMethod]
    public void ExplainReturnsTheResultUnchangedWithTheTraceAndTime()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        // The implementation sleeps, so the recorded time has a floor that a fast machine cannot undercut (a bare call
        // takes less than TimeSpan's 100 ns tick).
        var name = TestKit.NewName("b");
        var backend = new DispatchBackend(name, domain).Implement(method, (HostArray _) => { Thread.Sleep(2); return name; });
        using (Backend.Use(backend))
        {
            var plain = method.Invoke(new HostArray());
            var outer = Stopwatch.StartNew();
            var explained = Backend.Explain(() => method.Invoke(new HostArray()));
            var bound = outer.Elapsed;
            Assert.AreEqual(plain, explained.Result);
            Assert.AreEqual(backend.Name, explained.Backend);
            Assert.AreEqual(CandidateOrigin.Scope, explained.Call!.Candidates[0].Origin);
            Assert.AreEqual(CandidateOutcome.NotReached, explained.Call.Candidates[1].Outcome);
            Assert.IsTrue(explained.Call.Elapsed >= TimeSpan.FromMilliseconds(1.5) && explained.Call.Elapsed <= bound,
                $"the call's recorded time {explained.Call.Elapsed} is the call's: at least its 2 ms sleep, at most the {bound} around it");
            StringAssert.Contains(explained.ToString(), backend.Name);
        }
        // Explaining leaves no scope behind.
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }

    [TestMethod]
    public async Task ExplainAsyncRecordsCallsMadeAfterAwaits()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var explained = await Backend.ExplainAsync(async () =>
        {
            await Task.Yield();
            var first = method.Invoke(new HostArray());
            await Task.Delay(1);
            return first + method.Invoke(new HostArray());
        });
        Assert.AreEqual("defaultdefault", explained.Result);
        Assert.AreEqual(2, explained.Calls.Count);
        Assert.AreEqual("(no scope)", Backend.CurrentScope);
    }
}
