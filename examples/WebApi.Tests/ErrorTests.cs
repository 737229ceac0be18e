using System.Net;
using System.Text.Json;
using Scoped.Image;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Bad requests get a 400 (or 501) ProblemDetails naming the problem; the server keeps serving, and no scope
/// outlives its request.</summary>
[TestClass]
public sealed class ErrorTests
{
    private static readonly HostArray<byte> Image = Images.Sample();

    private static async Task<(HttpStatusCode Status, JsonElement Problem, HttpResponseMessage Response)> PostAsync(
        string pathAndQuery, byte[] body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        var response = await Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, problem, response);
    }

    /// <summary>A good request after a bad one: the server still answers, with the default's bytes.</summary>
    private static async Task AssertServesAsync()
    {
        var (status, _, response) = await PostAsync("/functions/filters.gaussian?sigma=2", Images.Png(Image));
        Assert.AreEqual(HttpStatusCode.OK, status);
        CollectionAssert.AreEqual(Images.Npy(Filters.Gaussian(Image, 2)), await response.Content.ReadAsByteArrayAsync());
        Assert.AreEqual("(no scope)", response.Headers.GetValues("X-Scoped-Scope").Single());
        Assert.AreEqual("default", response.Headers.GetValues("X-Scoped-Backend-Ran").Single());
    }

    [TestMethod]
    public async Task A_corrupt_png_is_a_400_bad_image_and_the_server_keeps_serving()
    {
        var png = Images.Png(Image);
        var corrupt = png[..40].Concat(new byte[60]).ToArray(); // a real signature and header, then zeros for the data
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", corrupt);
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("Bad image", problem.GetProperty("title").GetString());
        Assert.Contains("request body", problem.GetProperty("detail").GetString()!);
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task Images_declaring_more_pixels_than_the_limit_are_refused_before_decoding()
    {
        // A real PNG whose header is edited to claim 100000 × 100000 pixels: a few hundred bytes that would ask a
        // decoder for 10 GB. The CRC no longer matches, but the limit must refuse it before the decoder looks.
        var png = Images.Png(Image);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 100_000);
        var npy = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 70, 0 }
            .Concat("{'descr': '|u1', 'fortran_order': False, 'shape': (300000, 300000), }    \n"u8.ToArray()).ToArray();
        var pgm = "P5\n# a comment\n200000 100000\n255\n"u8.ToArray();

        foreach (var (what, bytes) in new[] { ("png", png), ("npy", npy), ("pgm", pgm) })
        {
            var (status, problem, _) = await PostAsync("/functions/filters.gaussian", bytes);
            Assert.AreEqual(HttpStatusCode.BadRequest, status, what);
            Assert.AreEqual("image", problem.GetProperty("parameter").GetString(), what);
            Assert.Contains("Scoped:Upload:MaxPixels", problem.GetProperty("detail").GetString()!, what);
        }
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task A_bad_npy_header_is_a_400_bad_image()
    {
        var npy = Images.Npy(Image);
        var broken = npy[..10].Concat("{'descr': 'garbage'}\n"u8.ToArray()).ToArray();
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", broken);
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("Bad image", problem.GetProperty("title").GetString());
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task Bytes_that_are_no_image_are_a_400_naming_the_accepted_formats()
    {
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", "hello"u8.ToArray());
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.Contains("PNG", problem.GetProperty("detail").GetString()!);
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task An_empty_body_is_a_400_naming_the_image()
    {
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", []);
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("image", problem.GetProperty("parameter").GetString());
    }

    [TestMethod]
    [DataRow("/functions/filters.gaussian?sigma=-1", "sigma", "a number >= 0")]
    [DataRow("/functions/filters.gaussian?sigma=abc", "sigma", "a finite number")]
    [DataRow("/functions/filters.gaussian?mode=sideways", "mode", "one of reflect, constant, nearest, mirror, wrap")]
    [DataRow("/functions/filters.gaussian?sigm=2", "sigm", "parameters: sigma, mode")]
    [DataRow("/functions/filters.median?footprint=circle:3", "footprint", "square:N, rectangle:H,W, disk:R, diamond:R, cube:N, ball:R or octahedron:R")]
    [DataRow("/functions/transform.rotate", "angle", "is required")]
    [DataRow("/functions/transform.resize?output_shape=10,x", "output_shape", "an integer")]
    [DataRow("/functions/filters.gaussian?format=gif", "format", "npy, png or tif")]
    public async Task A_bad_or_missing_parameter_is_a_400_naming_it_and_the_rule(string pathAndQuery, string parameter, string rule)
    {
        var (status, problem, _) = await PostAsync(pathAndQuery, Images.Png(Image));
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual(parameter, problem.GetProperty("parameter").GetString());
        Assert.Contains(rule, problem.GetProperty("detail").GetString()!);
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task An_unknown_function_is_a_400_listing_the_known_ones()
    {
        var (status, problem, _) = await PostAsync("/functions/filters.nope", Images.Png(Image));
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'filters.nope'", detail);
        Assert.Contains("filters.gaussian", detail);
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task An_unknown_backend_is_a_400_naming_the_header_and_the_known_backends()
    {
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", Images.Png(Image), ("X-Scoped-Backend", "turbo"));
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("X-Scoped-Backend", problem.GetProperty("header").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'turbo'", detail);
        Assert.Contains("parallel", detail);
        await AssertServesAsync();
    }

    [TestMethod]
    [DataRow("X-Scoped-Backend", "parallel; fast")]
    [DataRow("X-Scoped-Backend-Only", "maybe")]
    [DataRow("X-Scoped-Backend-Skip", "turbo")]
    public async Task A_malformed_backend_header_is_a_400_naming_it(string header, string value)
    {
        var headers = header == "X-Scoped-Backend-Only" ? new[] { ("X-Scoped-Backend", "parallel"), (header, value) } : [(header, value)];
        var (status, problem, _) = await PostAsync("/functions/filters.gaussian", Images.Png(Image), headers);
        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual(header, problem.GetProperty("header").GetString());
    }

    [TestMethod]
    public async Task Only_on_a_backend_lacking_the_function_is_a_501_and_the_next_request_sees_no_scope()
    {
        // The parallel backend does not implement peak_local_max; with only, nothing else may run it.
        var (status, problem, _) = await PostAsync("/functions/feature.peak_local_max", Images.Png(Image), ("X-Scoped-Backend", "parallel; only"));
        Assert.AreEqual(HttpStatusCode.NotImplemented, status);
        Assert.Contains("peak_local_max", problem.GetProperty("detail").GetString()!);
        Assert.AreEqual("Use('parallel', only)", problem.GetProperty("scope").GetString());

        // Without only, the default runs it.
        var (fallback, _, response) = await PostAsync("/functions/feature.peak_local_max", Images.Png(Image), ("X-Scoped-Backend", "parallel"));
        Assert.AreEqual(HttpStatusCode.OK, fallback);
        Assert.AreEqual("default", response.Headers.GetValues("X-Scoped-Backend-Ran").Single());
        await AssertServesAsync();
    }

    [TestMethod]
    public async Task A_request_that_throws_inside_its_scope_leaves_no_scope_behind()
    {
        // The library rejects axis=5 inside the handler, i.e. inside the request's scope.
        for (int i = 0; i < 20; i++)
        {
            var (status, problem, _) = await PostAsync("/functions/filters.sobel?axis=5", Images.Png(Image), ("X-Scoped-Backend", "parallel; only"));
            Assert.AreEqual(HttpStatusCode.BadRequest, status);
            Assert.AreEqual("axis", problem.GetProperty("parameter").GetString());
            using var document = JsonDocument.Parse(await Server.Client.GetStringAsync("/scope"));
            Assert.AreEqual("(no scope)", document.RootElement.GetProperty("scope").GetString());
        }
        await AssertServesAsync();
    }
}
