using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scoped.Image;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Many requests at once, each asking for its own backend scope (or none), against one real server.</summary>
[TestClass]
public sealed class ConcurrentScopeTests
{
    /// <summary>How a request asks for a backend, and what it must then see and be run by.</summary>
    private sealed record Ask(string Label, Action<HttpRequestMessage> Apply, string ExpectedScope, string ExpectedRan);

    private static readonly Ask[] Asks =
    [
        new("no header", _ => { }, "(no scope)", "default"),
        new("parallel", r => r.Headers.Add("X-Scoped-Backend", "parallel"), "Use('parallel')", "parallel"),
        new("parallel; only", r => r.Headers.Add("X-Scoped-Backend", "parallel; only"), "Use('parallel', only)", "parallel"),
        new("only header", r => { r.Headers.Add("X-Scoped-Backend", "parallel"); r.Headers.Add("X-Scoped-Backend-Only", "true"); },
            "Use('parallel', only)", "parallel"),
        new("skip", r => r.Headers.Add("X-Scoped-Backend-Skip", "parallel"), "Skip('parallel')", "default"),
    ];

    /// <summary>A function call by query string, and the same call made in-process with no scope (the default backend).</summary>
    private sealed record Call(string Query, Func<NDArray, NDArray> Default);

    private static Call CallFor(int i) => (i % 4) switch
    {
        0 => new(string.Create(CultureInfo.InvariantCulture, $"filters.gaussian?sigma={0.5 + i % 7 * 0.25}"), img => Filters.Gaussian(img, 0.5 + i % 7 * 0.25)),
        1 => new($"filters.median?footprint=disk:{1 + i % 3}", img => Filters.Median(img, Morphology.Disk(1 + i % 3))),
        2 => new($"morphology.erosion?footprint=square:{2 + i % 4}", img => Morphology.Erosion(img, Morphology.Square(2 + i % 4))),
        _ => new($"transform.resize?output_shape={40 + i % 5},{50 + i % 3}", img => Transform.Resize(img, [40 + i % 5, 50 + i % 3])),
    };

    [TestMethod]
    public async Task Each_of_250_concurrent_requests_is_run_by_the_backend_it_asked_for_and_sees_only_its_own_scope()
    {
        var image = Images.Sample();
        var png = Images.Png(image);
        var npy = Images.Npy(image);
        using var client = Server.Factory.CreateClient();

        const int Count = 250;
        var responses = await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
        {
            var ask = Asks[i % Asks.Length];
            var call = CallFor(i);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/" + call.Query);
            // Half the uploads are PNG bodies, half .npy in a multipart form: both must decode to the same image.
            if (i % 2 == 0)
            {
                request.Content = new ByteArrayContent(png);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            }
            else
            {
                var form = new MultipartFormDataContent();
                form.Add(new ByteArrayContent(npy), "image", "sample.npy");
                request.Content = form;
            }
            ask.Apply(request);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            return (i, ask, call, response.StatusCode, Scope: Header(response, "X-Scoped-Scope"), Ran: Header(response, "X-Scoped-Backend-Ran"), body);
        }));

        foreach (var (i, ask, call, status, scope, ran, body) in responses)
        {
            string what = $"request {i} ({ask.Label}, {call.Query})";
            Assert.AreEqual(HttpStatusCode.OK, status, what);
            Assert.AreEqual(ask.ExpectedScope, scope, $"{what}: the scope its handler saw");
            Assert.AreEqual(ask.ExpectedRan, ran, $"{what}: the backend that ran");
            CollectionAssert.AreEqual(Images.Npy(call.Default(image)), body, $"{what}: the result differs from the default backend's");
        }
    }

    [TestMethod]
    public async Task Requests_without_a_header_see_no_scope_while_others_hold_scopes()
    {
        var png = Images.Png(Images.Sample(160, 200));
        using var client = Server.Factory.CreateClient();

        // Slow scoped requests (a wide gaussian on a larger image) interleaved with bare scope probes.
        var scoped = Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/filters.gaussian?sigma=4") { Content = new ByteArrayContent(png) };
            request.Headers.Add("X-Scoped-Backend", i % 2 == 0 ? "parallel" : "parallel; only");
            using var response = await client.SendAsync(request);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            return Header(response, "X-Scoped-Backend-Ran");
        }).ToList();
        var bare = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync("/scope"));
            return document.RootElement.GetProperty("scope").GetString();
        }).ToList();

        CollectionAssert.AreEqual(Enumerable.Repeat("parallel", 40).ToList(), (await Task.WhenAll(scoped)).ToList());
        CollectionAssert.AreEqual(Enumerable.Repeat("(no scope)", 200).ToList(), (await Task.WhenAll(bare)).ToList());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
