using Microsoft.AspNetCore.Mvc.Testing;

namespace Scoped.Examples.WebApi.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public async Task The_root_answers()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();
        Assert.AreEqual("Scoped WebApi example", await client.GetStringAsync("/"));
    }
}
