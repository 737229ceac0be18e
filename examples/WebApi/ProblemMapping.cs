using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Scoped.Dispatch;
using Scoped.Image.IO;

namespace Scoped.Examples.WebApi;

/// <summary>
/// Turns the client's mistakes into ProblemDetails answers instead of 500s: a bad image, a bad or missing parameter,
/// or anything the library rejects with ArgumentException / FormatException / InvalidDataException is a 400; a call
/// that no allowed backend implements (an only-scope on a backend lacking the function) is a 501. Anything else is
/// left to the default handler (500).
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            ImageFileException => (StatusCodes.Status400BadRequest, "Bad image"),
            BadParameterException => (StatusCodes.Status400BadRequest, "Bad parameter"),
            ArgumentException or FormatException or InvalidDataException => (StatusCodes.Status400BadRequest, "Bad request"),
            BackendNotImplementedException => (StatusCodes.Status501NotImplemented, "No allowed backend implements this call"),
            _ => (0, null),
        };
        if (title is null) return false;

        var problem = new ProblemDetails { Status = status, Title = title, Detail = exception.Message };
        if (exception is ArgumentException { ParamName: { } parameter }) problem.Extensions["parameter"] = Snake(parameter);
        if (context.Features.Get<BackendScopeFeature>()?.Opened is { } scope) problem.Extensions["scope"] = scope;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // The library names parameters as C# does (preserveRange); the API names them as scikit-image does (preserve_range).
    private static string Snake(string name) => UpperAfterLower().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex UpperAfterLower();
}
