using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Examples.WebApi;
using Scoped.Image;

var builder = WebApplication.CreateBuilder(args);

// The dispatcher, the parallel backend and the process-wide work limit are configured the Microsoft.Extensions way
// from the app's configuration (appsettings.json, environment, command line): "Scoped:Dispatch", "Scoped:Parallel"
// and "Scoped:Limits", each key validated by name when the host starts. Tests override them.
builder.Services.AddScopedDispatch(builder.Configuration);
builder.Services.AddScopedParallel();
builder.Services.AddScopedLimits();

// The example's own options: what an upload may be, and what one request may cost.
builder.Services.AddOptions<UploadLimits>().BindConfiguration("Scoped:Upload");
builder.Services.AddOptions<UploadBodyLimits>().BindConfiguration(UploadBodyLimits.SectionName).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<UploadBodyLimits>, UploadBodyLimits.Validator>();
builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, UploadBodyLimits.Apply>();
builder.Services.AddSingleton<IConfigureOptions<FormOptions>, UploadBodyLimits.Apply>();
builder.Services.AddOptions<RequestLimits>().BindConfiguration(RequestLimits.SectionName).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<RequestLimits>, RequestLimits.Validator>();

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    // Names as scikit-image spells them (bin_centers, preserve_range); NaN thresholds stay representable.
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    // Arrays inside a JSON result (a region's moments) as nested lists.
    o.SerializerOptions.Converters.Add(new NDArrayJsonConverter());
});

var app = builder.Build();

// The exception handler is outside the scope middleware, so a request that throws has its scope closed before
// the error is written; the next request on the same connection starts with no scope.
app.UseExceptionHandler();
app.UseMiddleware<BackendScopeMiddleware>();
app.MapImageEndpoints();
app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
