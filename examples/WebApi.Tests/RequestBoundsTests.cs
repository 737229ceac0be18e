using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Scoped.Image;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Each request runs under its own budget (Scoped:Requests): a work limit that refuses over-sized arguments
/// with a 400 naming them, and a time limit past which the call is stopped and answered 503. The limits are set
/// through the configuration of a second app, so the shared server keeps its defaults.</summary>
[TestClass]
public sealed class RequestBoundsTests
{
    /// <summary>A median over a disk of radius 20 on a megapixel: about half a minute of work on one core if nothing
    /// stops it, done in pieces of 32 rows (about a second each) between which the kernel checks for cancellation.</summary>
    private const string LongCall = "/functions/filters.median?footprint=disk:20";

    private static readonly byte[] Megapixel = Images.Npy(Images.Sample(1024, 1024));

    /// <summary>A float image: integer images may take a histogram's bins from their value range rather than nbins.</summary>
    private static readonly byte[] FloatImage = Images.Npy(Util.ImgAsFloat(Images.Sample()));

    private static BoundedApiFactory s_timed = null!;
    private static HttpClient s_timedClient = null!;
    private static BoundedApiFactory s_budget = null!;
    private static HttpClient s_budgetClient = null!;

    [ClassInitialize]
    public static void Start(TestContext _)
    {
        s_timed = new BoundedApiFactory(("Scoped:Requests:Timeout", "00:00:01"));
        s_timedClient = s_timed.CreateClient();
        s_budget = new BoundedApiFactory(("Scoped:Requests:MaxElements", "1048576"));
        s_budgetClient = s_budget.CreateClient();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        s_timedClient.Dispose();
        s_budgetClient.Dispose();
        await s_timed.DisposeAsync();
        await s_budget.DisposeAsync();
    }

    [TestMethod]
    public async Task A_call_past_the_timeout_is_a_503_naming_the_key_and_its_work_stops()
    {
        var clock = Stopwatch.StartNew();
        using var response = await s_timedClient.PostAsync(LongCall, new ByteArrayContent(Megapixel));
        var elapsed = clock.Elapsed;

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode, await response.Content.ReadAsStringAsync());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual("Time limit exceeded", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("Scoped:Requests:Timeout = 00:00:01", problem.RootElement.GetProperty("detail").GetString()!);
        // The call runs on the request's thread, so the answer is written only once the kernel has thrown: a quick
        // answer means the work stopped (at the one-second timeout plus about one piece), not that it was abandoned.
        Assert.IsLessThan(TimeSpan.FromSeconds(10), elapsed, $"The 503 took {elapsed}.");
        await AssertCpuGoesIdleAsync();
        await Serving.AssertServesAsync(s_timedClient);
    }

    [TestMethod]
    public async Task A_client_that_leaves_cancels_its_call()
    {
        // The shared server's timeout is the default 30 s: only the client's leaving can stop this call early.
        using var leave = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<OperationCanceledException>(() => Server.Client.PostAsync(LongCall, new ByteArrayContent(Megapixel), leave.Token));
        await AssertCpuGoesIdleAsync();
        await Serving.AssertServesAsync(Server.Client);
    }

    [TestMethod]
    [DataRow("/functions/transform.resize?output_shape=2000,2000", "output_shape")]
    [DataRow("/functions/transform.rescale?scale=20", "scale")]
    [DataRow("/functions/filters.threshold_otsu?nbins=2000000", "nbins")]
    public async Task An_argument_over_the_request_work_limit_is_a_400_naming_it_and_the_key(string pathAndQuery, string parameter)
    {
        // Each asks for an array of a few million elements: within the process-wide limit, over this app's
        // Scoped:Requests:MaxElements of 2^20.
        using var response = await s_budgetClient.PostAsync(pathAndQuery, new ByteArrayContent(FloatImage));
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? text : "");
        using var problem = JsonDocument.Parse(text);
        Assert.AreEqual(parameter, problem.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("Scoped:Requests:MaxElements", problem.RootElement.GetProperty("detail").GetString()!);
        await Serving.AssertServesAsync(s_budgetClient);
    }

    [TestMethod]
    [DataRow("/functions/filters.threshold_otsu?nbins=300000000", "nbins")]
    [DataRow("/functions/transform.resize?output_shape=16000,16000", "output_shape")]
    [DataRow("/functions/transform.rescale?scale=1000", "scale")]
    public async Task A_huge_argument_is_a_400_under_the_default_budget(string pathAndQuery, string parameter)
    {
        // The shared server has the defaults: 64 M elements a request, or the process-wide limit where that is lower.
        using var response = await Server.Client.PostAsync(pathAndQuery, new ByteArrayContent(FloatImage));
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual(parameter, problem.RootElement.GetProperty("parameter").GetString());
        Assert.Contains(":MaxElements", problem.RootElement.GetProperty("detail").GetString()!);
        await Serving.AssertServesAsync(Server.Client);
    }

    [TestMethod]
    [DataRow("Scoped:Requests:MaxElements", "0")]
    [DataRow("Scoped:Requests:Timeout", "00:00:00")]
    [DataRow("Scoped:Upload:MaxBytes", "-1")]
    [DataRow("Scoped:Limits:MaxElements", "0")]
    public async Task A_bad_limit_stops_the_start_naming_its_key(string key, string value)
    {
        // WebApplicationFactory's deferred host sometimes reports a failed start as ObjectDisposedException (the provider
        // is torn down before the start's own exception is rethrown; seen on CI); a fresh start then reports the real one.
        Exception error = null!;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            await using var factory = new BoundedApiFactory((key, value));
            error = Assert.Throws<Exception>(() => factory.CreateClient());
            if (error is not ObjectDisposedException) break;
        }
        Assert.Contains(key, Messages(error), $"{error}");
    }

    private static string Messages(Exception e) => e switch
    {
        AggregateException a => string.Join("\n", a.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => e.Message + "\n" + Messages(inner),
        _ => e.Message,
    };

    /// <summary>Waits (up to 10 s) for a half second in which this process (test and servers) uses under 150 ms of
    /// CPU: a kernel still running would use most of a core.</summary>
    private static async Task AssertCpuGoesIdleAsync()
    {
        var waited = Stopwatch.StartNew();
        TimeSpan used;
        do
        {
            var before = Environment.CpuUsage.TotalTime;
            await Task.Delay(500);
            used = Environment.CpuUsage.TotalTime - before;
            if (used < TimeSpan.FromMilliseconds(150)) return;
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Fail($"The process still used {used.TotalMilliseconds:F0} ms of CPU per 500 ms after 10 s: the call goes on.");
    }
}
