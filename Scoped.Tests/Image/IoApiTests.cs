using Scoped.Image;
using Scoped.Image.IO;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Image;

/// <summary>skimage.io's API: imread (as_gray against skimage 0.19.3), imsave, imread_collection, concatenate_images.</summary>
[TestClass]
public sealed class IoApiTests
{
    private static string Fixture(string module, string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", module, file);

    [TestMethod]
    [DataRow("io", "pil_rgb8.png", "as_gray__pil_rgb8")]
    [DataRow("io", "pil_rgba8.png", "as_gray__pil_rgba8")]
    [DataRow("tiff", "tf_rgba_u16_tiles.tif", "as_gray__tf_rgba_u16_tiles")]
    [DataRow("tiff", "tf_u8_strips.tif", "as_gray__tf_u8_strips")]
    public void ImreadAsGrayIsScikitImages(string module, string file, string expected) =>
        AssertMatches(Load("tiff", expected), Io.Imread(Fixture(module, file), asGray: true), what: file);

    [TestMethod]
    public void ACollectionReadsLazilyInNaturalOrderAndConcatenates()
    {
        string dir = Path.Combine(Path.GetTempPath(), "scoped-collection-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var camera = (HostArray<byte>)Load("core", "camera_u8");
            foreach (int i in new[] { 10, 2, 1 })
            {
                var frame = HostArray.Create(camera.ToArray().Select(v => (byte)(v + i)).ToArray(), 64, 80);
                Io.Imsave(Path.Combine(dir, $"frame{i}.{(i == 2 ? "tif" : "png")}"), frame);
            }
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not an image");
            var collection = Io.ImreadCollection(Path.Combine(dir, "frame*"));
            CollectionAssert.AreEqual(new[] { "frame1.png", "frame2.tif", "frame10.png" }, collection.Files.Select(Path.GetFileName).ToArray());
            File.Delete(Path.Combine(dir, "frame10.png"));   // nothing was read yet: the collection only knows names
            Assert.AreEqual((byte)(camera[0, 0] + 2), ((HostArray<byte>)collection[1])[0, 0]);
            Assert.ThrowsExactly<FileNotFoundException>(() => collection[2]);
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => collection[3]);
            var stack = Io.ConcatenateImages([collection[0], collection[1]]);
            CollectionAssert.AreEqual(new[] { 2, 64, 80 }, stack.Shape.ToArray());
            Assert.AreEqual((byte)(camera[5, 6] + 1), ((HostArray<byte>)stack).Tensor[[0, 5, 6]]);
            Assert.AreEqual("images", ThrowsFor("images", () => Io.ConcatenateImages([camera, Load("core", "rand_f32_37x53")])).ParamName);
            Assert.AreEqual("images", ThrowsFor("images", () => Io.ConcatenateImages([])).ParamName);
            Assert.AreEqual("pattern", ThrowsFor("pattern", () => Io.ImreadCollection(Path.Combine(dir, "nowhere", "*.png"))).ParamName);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
