using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Scoped.Image;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>Uploads, result formats and the listings.</summary>
[TestClass]
public sealed class EndpointTests
{
    private static readonly HostArray<byte> Image = Images.Sample();

    [TestMethod]
    public async Task The_server_listens_on_loopback()
    {
        Assert.IsTrue(IPAddress.IsLoopback(IPAddress.Parse(Server.Client.BaseAddress!.Host)), Server.Client.BaseAddress.ToString());
        Assert.AreEqual("Scoped WebApi example: POST an image to /functions/{name}; GET /functions, /backends, /scope.", await Server.Client.GetStringAsync("/"));
    }

    [TestMethod]
    public async Task A_png_body_and_a_multipart_npy_give_the_same_npy_result()
    {
        using var raw = await Server.Client.PostAsync("/functions/morphology.dilation?footprint=diamond:2", new ByteArrayContent(Images.Png(Image)));
        var form = new MultipartFormDataContent { { new ByteArrayContent(Images.Npy(Image)), "image", "image.npy" } };
        using var multipart = await Server.Client.PostAsync("/functions/morphology.dilation?footprint=diamond:2", form);

        var expected = Images.Npy(Morphology.Dilation(Image, Morphology.Diamond(2)));
        Assert.AreEqual("application/x-npy", raw.Content.Headers.ContentType?.MediaType);
        CollectionAssert.AreEqual(expected, await raw.Content.ReadAsByteArrayAsync());
        CollectionAssert.AreEqual(expected, await multipart.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task Png_is_returned_for_format_png_or_an_accept_header()
    {
        using var byFormat = await Server.Client.PostAsync("/functions/filters.median?footprint=square:3&format=png", new ByteArrayContent(Images.Png(Image)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/filters.median?footprint=square:3") { Content = new ByteArrayContent(Images.Png(Image)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        using var byAccept = await Server.Client.SendAsync(request);

        var expected = Images.Png(Filters.Median(Image, Morphology.Square(3)));
        foreach (var response in new[] { byFormat, byAccept })
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            CollectionAssert.AreEqual(expected, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [TestMethod]
    public async Task A_tiff_upload_is_read_and_a_float_result_comes_back_as_tiff()
    {
        var upload = new MemoryStream();
        Scoped.Image.IO.TiffWriter.Write(upload, Image, new Scoped.Image.IO.TiffWriteOptions { Compression = Scoped.Image.IO.TiffCompression.Lzw });
        using var response = await Server.Client.PostAsync("/functions/filters.gaussian?sigma=1&format=tif", new ByteArrayContent(upload.ToArray()));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual("image/tiff", response.Content.Headers.ContentType?.MediaType);
        var result = Scoped.Image.IO.ImageFile.Read(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), "response");
        Assert.AreEqual(Filters.Gaussian(Image, 1).DType, result.DType, "a float result keeps its dtype in TIFF");
        CollectionAssert.AreEqual(((HostArray)Filters.Gaussian(Image, 1)).ToFlatArray(), result.ToFlatArray());
    }

    [TestMethod]
    public async Task A_volume_npy_runs_in_3d_and_png_output_of_it_is_a_400()
    {
        var volume = HostArray.Create(Enumerable.Range(0, 5 * 6 * 7).Select(i => (byte)(i * 37 % 251)).ToArray(), 5, 6, 7);
        using var response = await Server.Client.PostAsync("/functions/morphology.erosion?footprint=ball:1", new ByteArrayContent(Images.Npy(volume)));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        CollectionAssert.AreEqual(Images.Npy(Morphology.Erosion(volume, Morphology.Ball(1))), await response.Content.ReadAsByteArrayAsync());
        using var png = await Server.Client.PostAsync("/functions/morphology.erosion?footprint=ball:1&format=png", new ByteArrayContent(Images.Npy(volume)));
        Assert.AreEqual(HttpStatusCode.BadRequest, png.StatusCode);
        StringAssert.Contains(await png.Content.ReadAsStringAsync(), "(5, 6, 7)");
    }

    [TestMethod]
    public async Task A_float_result_as_png_is_converted_to_uint8()
    {
        using var response = await Server.Client.PostAsync("/functions/filters.gaussian?sigma=1&format=png", new ByteArrayContent(Images.Png(Image)));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        CollectionAssert.AreEqual(Images.Png(Util.ImgAsUbyte(Filters.Gaussian(Image, 1))), await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task A_scalar_result_is_json_and_reports_the_backend_that_ran()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/filters.threshold_otsu") { Content = new ByteArrayContent(Images.Png(Image)) };
        request.Headers.Add("X-Scoped-Backend", "parallel");
        using var response = await Server.Client.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.AreEqual("filters.threshold_otsu", document.RootElement.GetProperty("name").GetString());
        Assert.AreEqual(Filters.ThresholdOtsu(Image), document.RootElement.GetProperty("result").GetDouble());
        Assert.AreEqual("parallel", response.Headers.GetValues("X-Scoped-Backend-Ran").Single());
    }

    [TestMethod]
    public async Task Records_are_json_with_scikit_image_names()
    {
        var labels = Measure.Label(Threshold(Image, Filters.ThresholdOtsu(Image)));
        using var response = await Server.Client.PostAsync("/functions/measure.regionprops", new ByteArrayContent(Images.Npy(labels)));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var regions = document.RootElement.GetProperty("result");
        var expected = Measure.Regionprops(labels);
        Assert.AreEqual(expected.Length, regions.GetArrayLength());
        Assert.AreEqual(expected[0].Area, regions[0].GetProperty("area").GetInt32());
        Assert.AreEqual(expected[0].Centroid[1], regions[0].GetProperty("centroid")[1].GetDouble());
        Assert.AreEqual(expected[0].InertiaTensor[0][1], regions[0].GetProperty("inertia_tensor")[0][1].GetDouble());
        Assert.AreEqual(expected[0].AxisMajorLength, regions[0].GetProperty("axis_major_length").GetDouble());
        // An NDArray property is a nested list; the properties that need an intensity image are absent.
        Assert.AreEqual(((HostArray<double>)expected[0].MomentsCentral)[2, 0], regions[0].GetProperty("moments_central")[2][0].GetDouble());
        Assert.AreEqual(expected[0].Solidity, regions[0].GetProperty("solidity").GetDouble());
        Assert.IsFalse(regions[0].TryGetProperty("intensity_mean", out _));
    }

    [TestMethod]
    public async Task The_function_listing_shows_parameters_and_defaults()
    {
        using var document = JsonDocument.Parse(await Server.Client.GetStringAsync("/functions"));
        var gaussian = document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "filters.gaussian");
        var sigma = gaussian.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "sigma");
        Assert.AreEqual("number", sigma.GetProperty("type").GetString());
        Assert.AreEqual("1", sigma.GetProperty("default").GetString());
        var rotate = document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "transform.rotate");
        var angle = rotate.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "angle");
        Assert.AreEqual(JsonValueKind.Null, angle.GetProperty("default").ValueKind);
    }

    [TestMethod]
    public async Task The_backend_listing_shows_the_discovered_parallel_backend()
    {
        using var document = JsonDocument.Parse(await Server.Client.GetStringAsync("/backends"));
        var parallel = document.RootElement.EnumerateArray().Single(b => b.GetProperty("name").GetString() == "parallel");
        Assert.IsTrue(parallel.GetProperty("available").GetBoolean());
        Assert.IsTrue(parallel.GetProperty("functions").EnumerateArray().Any(f => f.GetString() == "scoped.image.filters:gaussian"));
    }

    private static HostArray<bool> Threshold(HostArray<byte> image, double threshold)
    {
        var pixels = (byte[])image.ToFlatArray();
        return HostArray.Create(pixels.Select(p => p > threshold).ToArray(), image.Shape.ToArray());
    }
}
