using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Scoped.Backends.Parallel;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>
/// A second app, on its own Kestrel port, with configuration keys overridden (a tiny timeout, a small body limit), so
/// that limits can be tested without changing the shared <see cref="Server"/>. The keys are added last, as a deployment's
/// environment or command line would be, so they win over appsettings.json.
/// </summary>
public sealed class BoundedApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <summary>An app with these keys set, e.g. ("Scoped:Requests:Timeout", "00:00:00.2").</summary>
    public BoundedApiFactory(params (string Key, string Value)[] settings)
    {
        _settings = settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        // The parallel backend is process-wide: starting this app applies its options to it, so it must apply the
        // same ones as the shared server does, or the shared server's parallel requests would fall back.
        builder.ConfigureTestServices(services => services.Configure<ParallelBackendOptions>(o => o.MinimumElements = 0));
    }
}

/// <summary>A good request after a bad one: the app still answers it, with the default's bytes.</summary>
internal static class Serving
{
    private static readonly Scoped.Image.HostArray<byte> Image = Images.Sample();

    /// <summary>Posts a small PNG to filters.gaussian through <paramref name="client"/> and checks the answer.</summary>
    public static async Task AssertServesAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/functions/filters.gaussian?sigma=2", new ByteArrayContent(Images.Png(Image)));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        CollectionAssert.AreEqual(Images.Npy(Scoped.Image.Filters.Gaussian(Image, 2)), await response.Content.ReadAsByteArrayAsync());
    }
}
