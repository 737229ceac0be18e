using Scoped.Dispatch;

namespace Scoped.Examples.WebApi;

/// <summary>
/// What the backend-scope middleware knows about one request: the scope it opened, and what the handler saw and
/// ran inside it. The middleware turns the last two into response headers.
/// </summary>
public sealed class BackendScopeFeature
{
    /// <summary>The scope the middleware opened, e.g. "Use('parallel', only)", or null for none.</summary>
    public string? Opened { get; init; }

    /// <summary><see cref="Backend.CurrentScope"/> as the handler saw it (sent as X-Scoped-Scope).</summary>
    public string? SeenScope { get; set; }

    /// <summary>The backend that ran the handler's call, from <see cref="Backend.Explain{T}(Func{T})"/> (sent as X-Scoped-Backend-Ran).</summary>
    public string? Ran { get; set; }
}

/// <summary>
/// Opens a backend scope for the rest of the request from its headers and closes it when the request ends, also when
/// it throws. The scope lives in the dispatcher's AsyncLocal, so it is seen by this request's handler (and any task it
/// starts) and by no other request, however many run at once.
/// <list type="bullet">
/// <item><c>X-Scoped-Backend: parallel</c> prefers a backend (<see cref="Backend.Use(string, bool, bool)"/>);
/// <c>X-Scoped-Backend: parallel; only</c> or <c>X-Scoped-Backend-Only: true</c> allows no fallback.</item>
/// <item><c>X-Scoped-Backend-Skip: parallel</c> never uses that backend (<see cref="Backend.Skip(string)"/>).</item>
/// </list>
/// </summary>
public sealed class BackendScopeMiddleware(RequestDelegate next)
{
    /// <summary>Names the backend to prefer, optionally followed by "; only".</summary>
    public const string BackendHeader = "X-Scoped-Backend";

    /// <summary>"true" makes the scope of <see cref="BackendHeader"/> an only-scope.</summary>
    public const string OnlyHeader = "X-Scoped-Backend-Only";

    /// <summary>Names a backend to skip.</summary>
    public const string SkipHeader = "X-Scoped-Backend-Skip";

    /// <summary>Response: the backend that ran the request's function.</summary>
    public const string RanHeader = "X-Scoped-Backend-Ran";

    /// <summary>Response: the scope the handler saw (<see cref="Backend.CurrentScope"/>), "(no scope)" when none.</summary>
    public const string ScopeHeader = "X-Scoped-Scope";

    /// <summary>Runs the rest of the pipeline inside the requested scopes.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        string? use, skip;
        bool only;
        try
        {
            (use, only) = ParseUse(context.Request.Headers);
            skip = Single(context.Request.Headers, SkipHeader);
            if (use is not null) CheckKnown(BackendHeader, use, allowDefault: false);
            if (skip is not null) CheckKnown(SkipHeader, skip, allowDefault: true);
        }
        catch (BadHeaderException e)
        {
            await Results.Problem(title: "Bad backend header", detail: e.Message, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["header"] = e.Header }).ExecuteAsync(context);
            return;
        }

        // Skip outermost, so that a request naming the same backend in both gets the skip's "never".
        using var skipScope = skip is null ? null : Backend.Skip(skip);
        using var useScope = use is null ? null : Backend.Use(use, only);

        var feature = new BackendScopeFeature { Opened = useScope?.ToString() ?? skipScope?.ToString() };
        context.Features.Set(feature);
        context.Response.OnStarting(() =>
        {
            if (feature.SeenScope is not null) context.Response.Headers[ScopeHeader] = feature.SeenScope;
            if (feature.Ran is not null) context.Response.Headers[RanHeader] = feature.Ran;
            return Task.CompletedTask;
        });

        // Scopes are disposed innermost first when this method leaves, normally or by an exception.
        await next(context);
    }

    private static (string? Name, bool Only) ParseUse(IHeaderDictionary headers)
    {
        var value = Single(headers, BackendHeader);
        bool only = Single(headers, OnlyHeader) switch
        {
            null => false,
            var text when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            var text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            var text => throw new BadHeaderException(OnlyHeader, $"Header {OnlyHeader} has the bad value '{text}': expected true or false."),
        };
        if (value is null)
        {
            return only ? throw new BadHeaderException(OnlyHeader, $"Header {OnlyHeader} needs a backend named in {BackendHeader}.") : (null, false);
        }
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        foreach (var option in parts.Skip(1))
        {
            if (option.Equals("only", StringComparison.OrdinalIgnoreCase)) only = true;
            else throw new BadHeaderException(BackendHeader, $"Header {BackendHeader} has the unknown option '{option}': expected 'NAME' or 'NAME; only'.");
        }
        return (parts[0], only);
    }

    private static string? Single(IHeaderDictionary headers, string name)
    {
        if (!headers.TryGetValue(name, out var values) || values.Count == 0) return null;
        if (values.Count > 1) throw new BadHeaderException(name, $"Header {name} is given {values.Count} times; give it once.");
        var value = values[0]?.Trim();
        return string.IsNullOrEmpty(value) ? throw new BadHeaderException(name, $"Header {name} is empty: name a backend.") : value;
    }

    private static void CheckKnown(string header, string name, bool allowDefault)
    {
        var known = Backend.Registered.Select(b => b.Name).ToList();
        if (allowDefault) known.Insert(0, DispatchBackend.DefaultName);
        if (!known.Contains(name, StringComparer.Ordinal))
            throw new BadHeaderException(header, $"Header {header} names the unknown backend '{name}' (known: {string.Join(", ", known)}).");
    }

    private sealed class BadHeaderException(string header, string message) : Exception(message)
    {
        public string Header { get; } = header;
    }
}
