using System.Text.Json;
using System.Text.Json.Serialization;
using Scoped.Backends.Parallel;
using Scoped.Dispatch;
using Scoped.Examples.WebApi;

var builder = WebApplication.CreateBuilder(args);

// The dispatcher and the parallel backend are configured the Microsoft.Extensions way; the parallel backend's
// options bind from "Scoped:Parallel" (appsettings.json, environment, command line), and tests override them.
builder.Services.AddScopedDispatch();
builder.Services.AddScopedParallel();
builder.Services.AddOptions<ParallelBackendOptions>().BindConfiguration("Scoped:Parallel");
builder.Services.AddOptions<UploadLimits>().BindConfiguration("Scoped:Upload");

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    // Names as scikit-image spells them (bin_centers, preserve_range); NaN thresholds stay representable.
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
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
