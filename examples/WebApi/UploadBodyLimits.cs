using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Scoped.Examples.WebApi;

/// <summary>
/// The size of the request body, bound from "Scoped:Upload" (next to <see cref="UploadLimits"/>'s MaxPixels). It is
/// put in force as Kestrel's MaxRequestBodySize and as the form reader's MultipartBodyLengthLimit, so one key bounds
/// a raw body, a chunked one (which has no Content-Length to check up front) and the file inside a multipart form;
/// a body over it is answered 413.
/// </summary>
public sealed class UploadBodyLimits
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Scoped:Upload";

    /// <summary>The most bytes a request body may hold. Default 30 MiB.</summary>
    public long MaxBytes { get; set; } = 30L * 1024 * 1024;

    /// <summary>Names the bad key when the host starts.</summary>
    public sealed class Validator : IValidateOptions<UploadBodyLimits>
    {
        /// <inheritdoc/>
        public ValidateOptionsResult Validate(string? name, UploadBodyLimits options) => options.MaxBytes < 1
            ? ValidateOptionsResult.Fail($"{SectionName}:{nameof(MaxBytes)} must be >= 1; got {options.MaxBytes}.")
            : ValidateOptionsResult.Success;
    }

    /// <summary>Copies <see cref="MaxBytes"/> into Kestrel's and the form reader's options, which are read from DI when
    /// the server starts and when a form is first read.</summary>
    public sealed class Apply(IOptions<UploadBodyLimits> limits) : IConfigureOptions<KestrelServerOptions>, IConfigureOptions<FormOptions>
    {
        /// <inheritdoc/>
        public void Configure(KestrelServerOptions options) => options.Limits.MaxRequestBodySize = limits.Value.MaxBytes;

        // The file is smaller than the body holding it, so Kestrel's 413 always comes first; setting the form's limit
        // too keeps its 128 MB default from turning a large file into a 400 when MaxBytes is raised above it.
        /// <inheritdoc/>
        public void Configure(FormOptions options) => options.MultipartBodyLengthLimit = limits.Value.MaxBytes;
    }
}
