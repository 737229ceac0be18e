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
