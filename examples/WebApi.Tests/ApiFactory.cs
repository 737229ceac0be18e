using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Scoped.Backends.Parallel;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>
/// The example app on a real Kestrel server on a free loopback port, with the parallel backend taking images of any
/// size so that a request asking for it is run by it.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public ApiFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.Configure<ParallelBackendOptions>(o => o.MinimumElements = 0));
}

/// <summary>One server for the whole run: every test class talks to the same app, which is also what shows that it
/// keeps serving after bad requests.</summary>
[TestClass]
public sealed class Server
{
    /// <summary>The running app.</summary>
    public static ApiFactory Factory { get; private set; } = null!;

    /// <summary>A client of it, shared by tests that need no client of their own.</summary>
    public static HttpClient Client { get; private set; } = null!;

    [AssemblyInitialize]
    public static void Start(TestContext _)
    {
        Factory = new ApiFactory();
        Client = Factory.CreateClient();
    }

    [AssemblyCleanup]
    public static async Task Stop()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
