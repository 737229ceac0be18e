using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Scoped.Dispatch;
using Scoped.Image;
using Scoped.Image.IO;

namespace Scoped.Examples.WebApi;

/// <summary>
/// Turns the client's mistakes into ProblemDetails answers instead of 500s: a bad image, a bad or missing parameter,
/// or anything the library rejects with ArgumentException / FormatException / InvalidDataException is a 400 (an
/// argument over the work limit included); a body over Scoped:Upload:MaxBytes is a 413 and a malformed one (broken
/// chunk framing) a 400, as Kestrel's BadHttpRequestException says; a call that ran past Scoped:Requests:Timeout is a
/// 503; a call that no allowed backend implements (an only-scope on a backend lacking the function) is a 501. Anything
/// else is left to the default handler (500).
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, IOptions<UploadBodyLimits> upload, IOptions<RequestLimits> requests)
    : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            ImageFileException => (StatusCodes.Status400BadRequest, "Bad image"),
            BadParameterException => (StatusCodes.Status400BadRequest, "Bad parameter"),
            ArgumentException or FormatException or InvalidDataException => (StatusCodes.Status400BadRequest, "Bad request"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Upload too large"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request body"),
            RequestTimeoutException => (StatusCodes.Status503ServiceUnavailable, "Time limit exceeded"),
            BackendNotImplementedException => (StatusCodes.Status501NotImplemented, "No allowed backend implements this call"),
            _ => (0, null),
        };
        if (title is null) return false;

        var problem = new ProblemDetails { Status = status, Title = title, Detail = Detail(exception) };
        if (exception is ArgumentException { ParamName: { } parameter }) problem.Extensions["parameter"] = Snake(parameter);
        if (status == StatusCodes.Status413PayloadTooLarge) problem.Extensions["parameter"] = "image";
        if (context.Features.Get<BackendScopeFeature>()?.Opened is { } scope) problem.Extensions["scope"] = scope;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private string Detail(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            $"The request body is larger than this server accepts ({upload.Value.MaxBytes} bytes, {UploadBodyLimits.SectionName}:{nameof(UploadBodyLimits.MaxBytes)}).",
        // The library names the process-wide key; when the request's own budget is the lower one, that is the key to name.
        ArgumentException when requests.Value.MaxElements < Limits.ProcessMaxElements =>
            exception.Message.Replace("(Scoped:Limits:MaxElements)", $"({RequestLimits.SectionName}:{nameof(RequestLimits.MaxElements)})", StringComparison.Ordinal),
        _ => exception.Message,
    };

    // The library names parameters as C# does (preserveRange); the API names them as scikit-image does (preserve_range).
    private static string Snake(string name) => UpperAfterLower().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperAfterLower();
}
