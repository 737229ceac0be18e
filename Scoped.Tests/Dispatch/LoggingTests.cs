using Microsoft.Extensions.Logging;
using Moq;
using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>The dispatcher's log output, checked against a mocked logger.</summary>
[TestClass]
[DoNotParallelize]
public sealed class LoggingTests
{
    [TestMethod]
    public void DeclinesAreLoggedAtDebugAndRuntimeFallbacksWarnEveryTime()
    {
        var logger = new Mock<ILogger>();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var factory = new Mock<ILoggerFactory>();
        factory.Setup(f => f.CreateLogger("Scoped.Dispatch")).Returns(logger.Object);

        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var picky = new DispatchBackend(TestKit.NewName("picky"), domain)
            .Implement(method, (HostArray _) => "picky", call => call.Argument<HostArray>(0).Tag == "small" ? "too small to pay" : null);
        Backend.Configure(o => { o.DiscoverBackends = false; o.Fallback = FallbackBehavior.Warn; }, factory.Object);
        try
        {
            using (Backend.Use(picky))
            {
                Assert.AreEqual("picky", method.Invoke(new HostArray("big")));
                Assert.AreEqual("default", method.Invoke(new HostArray("small")));
                Assert.AreEqual("default", method.Invoke(new HostArray("small")));
            }
        }
        finally
        {
            Backend.Configure(o => o.DiscoverBackends = false);
        }

        factory.Verify(f => f.CreateLogger("Scoped.Dispatch"), Times.Once());
        // One Debug line per decline, one Warning per call that fell back because of a decline at call time.
        logger.Verify(l => l.Log(LogLevel.Debug, It.Is<EventId>(e => e.Id == 2), It.Is<It.IsAnyType>((v, _) => $"{v}".Contains("too small to pay")),
            null, It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Exactly(2));
        logger.Verify(l => l.Log(LogLevel.Warning, It.Is<EventId>(e => e.Id == 3), It.IsAny<It.IsAnyType>(),
            null, It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Exactly(2));
        // The resolution itself is logged once (the plan is cached afterwards).
        logger.Verify(l => l.Log(LogLevel.Debug, It.Is<EventId>(e => e.Id == 1), It.Is<It.IsAnyType>((v, _) => $"{v}".Contains(picky.Name)),
            null, It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once());
    }
}
