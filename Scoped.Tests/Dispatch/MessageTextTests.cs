using Moq;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>Text from outside the dispatcher (names, reasons, exception messages) reaches its messages with control
/// characters escaped, so a message cannot rewrite a terminal or forge log lines.</summary>
[TestClass]
public sealed class MessageTextTests
{
    private const string Esc = "\u001b";

    private static bool HasControl(string s) => s.Any(char.IsControl);

    [TestMethod]
    public void EscapeMakesControlFormatAndLoneSurrogateCharactersVisible()
    {
        Assert.AreEqual(@"a\u001B[31mb\r\nc\t\0d\u007F", MessageText.Escape("a\u001b[31mb\r\nc\t\0d\u007f"));
        Assert.AreEqual(@"x\u202Ey\u2028z", MessageText.Escape("x\u202Ey\u2028z"), "bidi overrides and line separators too");
        Assert.AreEqual(@"\uD800 \uDC00", MessageText.Escape("\uD800 \uDC00"), "lone surrogates");
        Assert.AreEqual("ok \U0001F600 é", MessageText.Escape("ok \U0001F600 é"), "a surrogate pair and letters stay");
        const string clean = "gaussian (sigma=2)";
        Assert.AreSame(clean, MessageText.Escape(clean), "clean text is returned as it is, with nothing allocated");
        Assert.AreEqual("", MessageText.Escape(null));
    }

    [TestMethod]
    public void ABadBackendOrDomainNameIsEchoedEscaped()
    {
        var name = Assert.ThrowsExactly<ArgumentException>(() => Backend.Use("evil" + Esc + "[2Jname"));
        Assert.IsFalse(HasControl(name.Message), name.Message);
        StringAssert.Contains(name.Message, @"evil\u001B[2Jname");

        var domain = Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, string>>("bad\r\ndomain:op"));
        Assert.IsFalse(HasControl(domain.Message), domain.Message);
        StringAssert.Contains(domain.Message, @"bad\r\ndomain");

        var function = Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, string>>("tests.ok:op" + Esc));
        Assert.IsFalse(HasControl(function.Message), function.Message);
    }

    [TestMethod]
    public void ADeclineReasonWithControlCharactersCannotForgeLinesOfTheFailureMessage()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain, withDefault: false);
        var backend = new DispatchBackend(TestKit.NewName("forger"), domain)
            .Implement(method, (HostArray _) => "ran", decline: _ => "no\n  - forged (Scope): Selected" + Esc + "[0m");

        using (Backend.Use(backend))
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => method.Invoke(new HostArray()));
            Assert.AreEqual(1 + ex.Candidates.Count, ex.Message.Split('\n').Length, ex.Message);
            Assert.IsFalse(ex.Message.Contains(Esc, StringComparison.Ordinal), ex.Message);
            StringAssert.Contains(ex.Message, @"no\n  - forged");
            Assert.IsFalse(HasControl(ex.Candidates[0].Reason!), ex.Candidates[0].Reason);
        }
    }

    [TestMethod]
    public void AnUnavailableReasonWithControlCharactersIsListedEscaped()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var name = TestKit.NewName("nodevice");
        var mock = new Mock<DispatchBackend>(name, new[] { domain }) { CallBase = true };
        mock.Setup(b => b.UnavailableReason).Returns("no device" + Esc + "]0;pwned\a");
        mock.Object.Implement(method, (HostArray _) => name);
        Backend.Register(mock.Object);
        try
        {
            var info = Backend.Registered.Single(b => b.Name == name);
            Assert.IsFalse(HasControl(info.UnavailableReason!), info.UnavailableReason);
            StringAssert.Contains(info.UnavailableReason, @"no device\u001B]0;pwned\u0007");

            using (Backend.Use(name))
            {
                var record = method.Explain(typeof(HostArray));
                Assert.AreEqual(CandidateOutcome.Unavailable, record.Candidates[0].Outcome);
                Assert.IsFalse(HasControl(record.Candidates[0].Reason!), record.Candidates[0].Reason);
            }
        }
        finally
        {
            Backend.Unregister(name);
        }
    }
}
