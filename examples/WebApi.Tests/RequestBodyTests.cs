using System.Text;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Request bodies over Scoped:Upload:MaxBytes are a 413, however they come (Content-Length, chunked, inside a
/// multipart form); malformed ones (broken chunk framing, a truncated or garbled form) are a 400; never a 500, and the
/// server goes on serving. Sent over a bare socket, with the limit lowered to 1 MiB so that a test sends little.</summary>
[TestClass]
public sealed class RequestBodyTests
{
    private const int Limit = 1024 * 1024;
    private const string Boundary = "----scoped-test-boundary";
    private const string Post = "POST /functions/filters.gaussian HTTP/1.1";

    private static BoundedApiFactory s_factory = null!;
    private static HttpClient s_client = null!;

    [ClassInitialize]
    public static void Start(TestContext _)
    {
        s_factory = new BoundedApiFactory(("Scoped:Upload:MaxBytes", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        s_client = s_factory.CreateClient();
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        s_client.Dispose();
        await s_factory.DisposeAsync();
    }

    /// <summary>A multipart form holding <paramref name="file"/> as the field "image", closed or not.</summary>
    private static byte[] Form(byte[] file, bool close = true) =>
    [
        .. Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.npy\"\r\n" +
                                   "Content-Type: application/octet-stream\r\n\r\n"),
        .. file,
        .. close ? Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n") : [],
    ];

    private const string FormType = $"Content-Type: multipart/form-data; boundary={Boundary}";

    [TestMethod]
    [DataRow("raw body, Content-Length")]
    [DataRow("raw body, chunked")]
    [DataRow("multipart, Content-Length")]
    [DataRow("multipart, chunked")]
    public async Task A_body_over_the_limit_is_a_413_naming_the_key(string how)
    {
        // A little over the limit: a chunked body is counted as it comes, so only that much need be sent.
        var body = new byte[Limit + 128 * 1024];
        bool multipart = how.StartsWith("multipart", StringComparison.Ordinal);
        if (multipart) body = Form(body);
        var type = multipart ? FormType : "Content-Type: application/octet-stream";

        // With a Content-Length over the limit the server answers before reading: send a first piece only.
        var answer = how.EndsWith("chunked", StringComparison.Ordinal)
            ? await RawHttp.SendAsync(s_client.BaseAddress!, $"{Post}\r\n{type}\r\nTransfer-Encoding: chunked", RawHttp.Chunked(body))
            : await RawHttp.SendAsync(s_client.BaseAddress!, $"{Post}\r\n{type}\r\nContent-Length: {body.Length}", body[..(64 * 1024)]);

        Assert.AreEqual(413, answer.Status, answer.ToString());
        Assert.AreEqual("Upload too large", answer.Problem.GetProperty("title").GetString());
        Assert.AreEqual("image", answer.Problem.GetProperty("parameter").GetString());
        Assert.Contains($"{Limit} bytes, Scoped:Upload:MaxBytes", answer.Problem.GetProperty("detail").GetString()!);
        await AssertServesAsync();
    }

    [TestMethod]
    [DataRow("zz\r\nhello\r\n0\r\n\r\n", DisplayName = "a chunk size that is not hex")]
    [DataRow("5\r\nhello world\r\n0\r\n\r\n", DisplayName = "a chunk longer than its size")]
    [DataRow("5\r\nhello;x\r\n0\r\n\r\n", DisplayName = "a chunk with no CRLF after its data")]
    public async Task Broken_chunk_framing_is_a_400(string framing)
    {
        var answer = await RawHttp.SendAsync(s_client.BaseAddress!, $"{Post}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked",
            Encoding.ASCII.GetBytes(framing));
        Assert.AreEqual(400, answer.Status, answer.ToString());
        Assert.AreEqual("Bad request body", answer.Problem.GetProperty("title").GetString());
        await AssertServesAsync();
    }

    [TestMethod]
    [DataRow("truncated", DisplayName = "a form that stops inside its file")]
    [DataRow("garbage", DisplayName = "a body that is no form at all")]
    [DataRow("no boundary", DisplayName = "a form with no closing boundary line")]
    public async Task A_truncated_or_garbage_form_is_a_400_naming_the_image(string what)
    {
        var png = Images.Png(Images.Sample());
        var body = what switch
        {
            "truncated" => Form(png)[..(png.Length / 2)],
            "garbage" => Encoding.ASCII.GetBytes("this is not a multipart form, just some words\r\n"),
            _ => Form(png, close: false),
        };
        var answer = await RawHttp.SendAsync(s_client.BaseAddress!, $"{Post}\r\n{FormType}\r\nContent-Length: {body.Length}", body);
        Assert.AreEqual(400, answer.Status, answer.ToString());
        Assert.AreEqual("image", answer.Problem.GetProperty("parameter").GetString());
        Assert.Contains("multipart form could not be read", answer.Problem.GetProperty("detail").GetString()!);
        await AssertServesAsync();
    }

    /// <summary>The app still serves: through HttpClient, and a chunked upload within the limit over a bare socket.</summary>
    private static async Task AssertServesAsync()
    {
        await Serving.AssertServesAsync(s_client);
        var png = Images.Png(Images.Sample());
        var answer = await RawHttp.SendAsync(s_client.BaseAddress!, "POST /functions/filters.gaussian?sigma=2 HTTP/1.1\r\nTransfer-Encoding: chunked", RawHttp.Chunked(png, 1000));
        Assert.AreEqual(200, answer.Status, answer.Head);
    }
}
