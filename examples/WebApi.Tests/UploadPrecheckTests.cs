using System.Net;
using System.Text;
using System.Text.Json;
using Scoped.Image;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>The upload size check reads headers with the decoders' own parser: sizes the old pattern matching missed
/// (behind a long comment, after a comment ended by '\r', in a third .npy axis, in the channels) are refused before
/// decoding, and headers it cannot read are left to the decoder.</summary>
[TestClass]
public sealed class UploadPrecheckTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        var response = await Server.Client.PostAsync("/functions/filters.gaussian", content);
        var text = await response.Content.ReadAsStringAsync();
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, problem);
    }

    private static byte[] Npy(string dict)
    {
        int padding = (64 - (10 + dict.Length + 1) % 64) % 64;
        var header = Encoding.Latin1.GetBytes(dict + new string(' ', padding) + "\n");
        byte[] preamble = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8)];
        return [.. preamble, .. header];
    }

    [TestMethod]
    public async Task Sizes_the_old_pattern_matching_missed_are_refused_before_decoding()
    {
        var cases = new (string What, byte[] Body)[]
        {
            ("a PGM size after a 2000-byte comment", Encoding.Latin1.GetBytes($"P5\n# {new string('x', 2000)}\n46000 46000\n255\n")),
            ("a PGM size after 600 bytes of whitespace", Encoding.Latin1.GetBytes($"P5{new string(' ', 600)}46000 46000\n255\n")),
            ("a plain PGM whose comment ends at \\r", Encoding.Latin1.GetBytes("P2\n# note\r46000 46000\n255\n1 2 3\n")),
            ("a .npy whose third axis is large", Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 100000000), }")),
            ("an RGB PPM of 25 M pixels, 75 M elements", Encoding.Latin1.GetBytes("P6 5000 5000 255\n")),
        };
        foreach (var (what, body) in cases)
        {
            var (status, problem) = await PostAsync(body);
            Assert.AreEqual(HttpStatusCode.BadRequest, status, what);
            Assert.AreEqual("image", problem.GetProperty("parameter").GetString(), what);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains("Scoped:Upload:MaxPixels", detail, what);
            Assert.Contains("elements", detail, what);
        }
    }

    [TestMethod]
    public async Task Headers_the_parser_cannot_read_are_left_to_the_decoder()
    {
        foreach (var (what, body) in new (string, byte[])[]
        {
            ("a letter in the width", Encoding.Latin1.GetBytes("P5 4x 3 255\n")),
            ("a header cut in the height", Encoding.Latin1.GetBytes("P5 46000 46")),
            ("a .npy with an unknown dtype", Npy("{'descr': '<c16', 'fortran_order': False, 'shape': (100000, 100000), }")),
        })
        {
            var (status, problem) = await PostAsync(body);
            Assert.AreEqual(HttpStatusCode.BadRequest, status, what);
            Assert.AreEqual("Bad image", problem.GetProperty("title").GetString(), what);
        }
    }

    [TestMethod]
    public async Task An_rgb_image_within_the_limit_is_served()
    {
        var gray = Images.Sample();
        var rgb = HostArray.Create(gray.ToArray().SelectMany(v => new[] { v, (byte)(255 - v), (byte)(v / 2) }).ToArray(), 72, 96, 3);
        using var content = new ByteArrayContent(Images.Png(rgb));
        var response = await Server.Client.PostAsync("/functions/filters.gaussian?sigma=1", content);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
