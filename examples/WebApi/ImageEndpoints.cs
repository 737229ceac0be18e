using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Examples.WebApi;

/// <summary>The HTTP surface: run a function on an uploaded image, list functions and backends, show the scope.</summary>
public static class ImageEndpoints
{
    /// <summary>The media type of .npy results and uploads.</summary>
    public const string NpyMediaType = "application/x-npy";

    /// <summary>The media type of PNG results and uploads.</summary>
    public const string PngMediaType = "image/png";

    /// <summary>The media type of TIFF results and uploads (any dtype, Deflate-compressed).</summary>
    public const string TiffMediaType = "image/tiff";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => "Scoped WebApi example: POST an image to /functions/{name}; GET /functions, /backends, /scope.");
        app.MapGet("/functions", () => ImageFunctions.All.Values.OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new { f.Name, f.Summary, f.Parameters }));
        app.MapGet("/backends", () => Backend.Registered.Select(b => new
        {
            b.Name,
            b.Description,
            Available = b.UnavailableReason is null,
            b.UnavailableReason,
            b.Functions,
        }));
        app.MapGet("/scope", (HttpContext context) => new { Scope = SeeScope(context) });
        app.MapPost("/functions/{name}", RunAsync);
        return app;
    }

    /// <summary>
    /// Reads the image (body or form field "image"), binds the query parameters, runs the function under
    /// <see cref="Backend.Explain{T}(Func{T})"/> to learn which backend ran it, and writes the result.
    /// </summary>
    private static async Task<IResult> RunAsync(string name, HttpContext context)
    {
        if (!ImageFunctions.All.TryGetValue(name, out var function))
        {
            return Results.Problem(title: "Unknown function", statusCode: StatusCodes.Status400BadRequest,
                detail: $"Unknown function '{name}' (known: {string.Join(", ", ImageFunctions.All.Keys.Order(StringComparer.Ordinal))}).");
        }

        // Parameters first: a typo is reported before the upload is decoded.
        var query = new QueryArgs(context.Request.Query, "format");
        var call = function.Bind(query);
        if (query.Unread.FirstOrDefault() is { } unknown)
        {
            throw new BadParameterException(unknown,
                $"Unknown parameter '{unknown}' for {function.Name} (parameters: {string.Join(", ", function.Parameters.Select(p => p.Name))}).");
        }
        var format = ChooseFormat(context.Request);

        // The request's budget: its work limit, and a token that cancels when the time is up or the client leaves.
        // The call runs on this thread, so the answer is written only after the kernel has stopped at its next band.
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimits>>().Value;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cancellation.CancelAfter(limits.Timeout);
        try
        {
            using (Limits.Use(limits.MaxElements, cancellation.Token))
            {
                var image = await ReadImageAsync(context.Request, cancellation.Token);

                SeeScope(context);
                var explained = Backend.Explain(() => call(image));
                context.Features.GetRequiredFeature<BackendScopeFeature>().Ran = explained.Backend ?? "(nothing dispatched)";

                return explained.Result switch
                {
                    NDArray array => format == PngMediaType ? PngResult(array, function.Name) : format == TiffMediaType ? TiffResult(array, function.Name) : NpyResult(array),
                    HistogramResult h => Results.Json(new { function.Name, Counts = Flat(h.Counts), h.BinCenters }),
                    var value => Results.Json(new { function.Name, Result = value }),
                };
            }
        }
        catch (OperationCanceledException e) when (cancellation.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            throw new RequestTimeoutException(limits.Timeout, e);
        }
    }

    /// <summary>Records <see cref="Backend.CurrentScope"/> as this handler sees it; the middleware sends it back.</summary>
    private static string SeeScope(HttpContext context)
    {
        var scope = Backend.CurrentScope;
        context.Features.GetRequiredFeature<BackendScopeFeature>().SeenScope = scope;
        return scope;
    }

    /// <summary>The upload: a multipart form's "image" file, or else the raw body. Its format is told by its first
    /// bytes (PNG signature, .npy magic or TIFF header), so the Content-Type is not relied on.</summary>
    private static async Task<NDArray> ReadImageAsync(HttpRequest request, CancellationToken cancellation)
    {
        var buffer = new MemoryStream();
        string name;
        // Only a multipart form is unpacked; any other body (curl's --data-binary defaults to a urlencoded content type) is the file itself.
        // A body over Scoped:Upload:MaxBytes or with broken chunk framing makes Kestrel throw BadHttpRequestException,
        // which ProblemMapping answers with its status (413, 400).
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellation);
            }
            catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException && !cancellation.IsCancellationRequested))
            {
                // The form parser's words for a truncated or garbled form ("Unexpected end of Stream", "Missing
                // content-type boundary"): the client's mistake, so a 400 naming the upload, not a 500.
                throw new BadParameterException("image", $"The multipart form could not be read: {e.Message}");
            }
            var file = form.Files.GetFile("image")
                       ?? throw new BadParameterException("image", "The multipart form has no file field named 'image'.");
            name = file.FileName;
            await using var stream = file.OpenReadStream();
            await stream.CopyToAsync(buffer, cancellation);
        }
        else
        {
            name = "request body";
            // Read asynchronously: Kestrel forbids the synchronous reads ImageFile.Read(Stream) would make.
            await request.Body.CopyToAsync(buffer, cancellation);
        }
        if (buffer.Length == 0)
            throw new BadParameterException("image", "No image was sent: POST a PNG, TIFF or .npy file as the body, or as the multipart form field 'image'.");
        // The declared size is checked before decoding: a small compressed file may claim gigapixels.
        request.HttpContext.RequestServices.GetRequiredService<IOptions<UploadLimits>>().Value.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Position = 0;
        return ImageFile.Read(buffer, name);
    }

    /// <summary>The result format for arrays: <c>format=npy|png|tif</c>, else the Accept header, else .npy.</summary>
    private static string ChooseFormat(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var format))
        {
            return format.ToString().ToLowerInvariant() switch
            {
                "npy" => NpyMediaType,
                "png" => PngMediaType,
                "tif" or "tiff" => TiffMediaType,
                var other => throw new BadParameterException("format", $"Parameter 'format' has the bad value '{other}': expected npy, png or tif."),
            };
        }
        var accepted = request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1).Select(a => a.MediaType.Value);
        return accepted.FirstOrDefault(m => m is PngMediaType or NpyMediaType or TiffMediaType) ?? NpyMediaType;
    }

    private static IResult NpyResult(NDArray array)
    {
        var host = array as HostArray ?? throw new InvalidOperationException($"The result is a {array.Kind} array, not a host array.");
        var stream = new MemoryStream();
        Npy.Write(stream, host);
        return Results.Bytes(stream.ToArray(), NpyMediaType);
    }

    /// <summary>PNG holds uint8, uint16 and bool images; a float result is converted with img_as_ubyte first.</summary>
    private static IResult PngResult(NDArray array, string function)
    {
        var stream = new MemoryStream();
        try
        {
            if (array.DType is DType.Float32 or DType.Float64) array = Util.ImgAsUbyte(array);
            Png.Write(stream, array);
        }
        catch (ArgumentException e)
        {
            throw new BadParameterException("format", $"The result of {function} ({array}) cannot be written as PNG: {e.Message} Ask for format=npy.");
        }
        return Results.Bytes(stream.ToArray(), PngMediaType);
    }

    /// <summary>TIFF holds every dtype; 2-D, colour and stacked results.</summary>
    private static IResult TiffResult(NDArray array, string function)
    {
        var stream = new MemoryStream();
        try
        {
            TiffWriter.Write(stream, array);
        }
        catch (ArgumentException e)
        {
            throw new BadParameterException("format", $"The result of {function} ({array}) cannot be written as TIFF: {e.Message} Ask for format=npy.");
        }
        return Results.Bytes(stream.ToArray(), TiffMediaType);
    }

    private static Array Flat(NDArray array) =>
        (array as HostArray ?? throw new InvalidOperationException($"The result is a {array.Kind} array, not a host array.")).ToFlatArray();
}
