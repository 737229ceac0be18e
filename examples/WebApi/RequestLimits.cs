using Microsoft.Extensions.Options;

namespace Scoped.Examples.WebApi;

/// <summary>
/// The budget of one request, bound from "Scoped:Requests". A query string can ask for a lot of work (a huge
/// output_shape, nbins or footprint, a long filter on a large image), so each call runs inside
/// <see cref="Scoped.Image.Limits.Use"/> with this work limit and a token that cancels after <see cref="Timeout"/> or
/// when the client goes away; the library refuses over-budget arguments before allocating and its kernels stop at the
/// next band when the token cancels, so a refused or timed-out request leaves no work or memory behind.
/// </summary>
public sealed class RequestLimits
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Scoped:Requests";

    /// <summary>The most elements any one array a request's call makes may hold (output, kernel, histogram). Default
    /// 64 M; the process-wide Scoped:Limits:MaxElements still applies when it is lower.</summary>
    public long MaxElements { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a request may take from the start of its handler (reading the upload, the call, encoding
    /// the result) before it is cancelled and answered 503. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Names the bad key when the host starts (ValidateOnStart), rather than failing on the first request.</summary>
    public sealed class Validator : IValidateOptions<RequestLimits>
    {
        /// <inheritdoc/>
        public ValidateOptionsResult Validate(string? name, RequestLimits options)
        {
            var problems = new List<string>();
            if (options.MaxElements < 1) problems.Add($"{SectionName}:{nameof(MaxElements)} must be >= 1; got {options.MaxElements}.");
            if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
                problems.Add($"{SectionName}:{nameof(Timeout)} must be a positive time span under 24 days, e.g. 00:00:30; got {options.Timeout:c}.");
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>A request ran past <see cref="RequestLimits.Timeout"/>; its work was cancelled. Answered 503.</summary>
public sealed class RequestTimeoutException(TimeSpan timeout, Exception inner)
    : Exception($"The call ran past the server's time limit ({RequestLimits.SectionName}:{nameof(RequestLimits.Timeout)} = {timeout:c}) and was stopped.", inner)
{
    /// <summary>The limit it ran past.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
