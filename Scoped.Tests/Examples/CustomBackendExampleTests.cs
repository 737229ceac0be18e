using System.Reflection;
using System.Runtime.Loader;
using Scoped.Dispatch;
using Scoped.Image;
using static Scoped.Tests.Image.ImageTestKit;

namespace Scoped.Tests.Examples;

/// <summary>
/// examples/CustomBackend, a backend written as a third party would ("contoso", assembly Contoso.Imaging), used the way
/// an application meets it: this project does not reference it; the build copies its dll to the "custom-backend" folder,
/// and the tests discover it there. Its types are reached by reflection only to build arguments.
/// </summary>
[TestClass]
[DoNotParallelize] // the backend name "contoso" is process-wide
public sealed class CustomBackendExampleTests
{
    private const string Name = "contoso";
    private const string OtsuName = "scoped.image.filters:threshold_otsu";
    private const string HistogramName = "scoped.image.exposure:histogram";
    private const string BitmapTypeName = "Contoso.Imaging.Gray8Image";

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "custom-backend");
    private static string Dll => Path.Combine(Folder, "Contoso.Imaging.dll");

    // A run with SCOPED_BACKEND_PATH pointing at the example (the conformance run) has "contoso" registered already;
    // each test starts from a freshly discovered, unloaded entry, and the original is put back afterwards.
    private BackendInfo? _before;

    [TestInitialize]
    public void Initialize()
    {
        Assert.IsTrue(File.Exists(Dll), $"The example backend was not copied to {Dll}; build Scoped.Tests first.");
        _before = Backend.Registered.FirstOrDefault(b => b.Name == Name);
        Backend.Unregister(Name);
        var found = Backend.Discover(Folder);
        Assert.AreEqual(0, found.Failures.Count, string.Join("; ", found.Failures));
    }

    [TestCleanup]
    public void Cleanup()
    {
        Backend.Unregister(Name);
        if (_before?.AssemblyPath is { } path) Backend.Discover(path);
    }

    [TestMethod]
    public void Discovery_reads_the_attribute_without_running_the_backend()
    {
        var loadedBefore = LoadedContosoAssemblies();
        var scanned = BackendDiscovery.Scan([Folder]);

        Assert.AreEqual(loadedBefore, LoadedContosoAssemblies(), "Scan loaded the backend's assembly into the process.");
        Assert.AreEqual(0, scanned.Failures.Count, string.Join("; ", scanned.Failures));
        var contoso = scanned.Backends.Single();
        Assert.AreEqual(Name, contoso.Info.Name);
        Assert.AreEqual("Contoso.Imaging.ContosoBackend", contoso.TypeName);
        CollectionAssert.AreEqual(new[] { Domains.Root }, contoso.Info.Domains.ToArray());
        CollectionAssert.AreEqual(new[] { BitmapTypeName }, contoso.Info.OwnedTypes.ToArray());
        CollectionAssert.AreEquivalent(new[] { OtsuName, HistogramName }, contoso.Info.Functions.ToArray());
        StringAssert.StartsWith(contoso.Info.Description, "Contoso.Imaging");
        Assert.AreEqual(Path.GetFullPath(Dll), Path.GetFullPath(contoso.AssemblyPath));

        // Initialize discovered it: registered, known by name and owned type, and not loaded until a call needs it.
        var registered = Backend.Registered.Single(b => b.Name == Name);
        Assert.IsFalse(registered.IsLoaded, "A discovered backend must not be loaded before it is used.");
        Assert.AreEqual(Path.GetFullPath(Dll), Path.GetFullPath(registered.AssemblyPath!));
        Assert.AreEqual("default", Backend.Explain(() => Exposure.Histogram(Cam())).Backend);
        Assert.IsFalse(Backend.Registered.Single(b => b.Name == Name).IsLoaded, "A host call without a scope must not load it.");
    }

    [TestMethod]
    public void The_loaded_backend_registers_what_its_attribute_declares()
    {
        Filters.ThresholdOtsu(Bitmap(Cam()));

        var loaded = Backend.Registered.Single(b => b.Name == Name);
        var declared = BackendDiscovery.Scan([Folder]).Backends.Single().Info;
        Assert.IsTrue(loaded.IsLoaded);
        CollectionAssert.AreEquivalent(declared.Functions.ToArray(), loaded.Functions.ToArray());
        CollectionAssert.AreEqual(declared.OwnedTypes.ToArray(), loaded.OwnedTypes.ToArray());
        CollectionAssert.AreEqual(declared.Domains.ToArray(), loaded.Domains.ToArray());
        Assert.AreEqual(declared.Description, loaded.Description);
    }

    [TestMethod]
    public void SCOPED_BACKEND_PATH_adds_its_folder_to_discovery()
    {
        Backend.Unregister(Name);
        var previousOptions = Backend.Options;
        var previousPath = Environment.GetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable, Folder);
            Backend.Configure(_ => { });

            CollectionAssert.Contains(Backend.Options.DiscoveryPaths.ToArray(), Path.GetFullPath(Folder));
            var info = Backend.Registered.Single(b => b.Name == Name);
            Assert.IsFalse(info.IsLoaded);
            Assert.AreEqual(Path.GetFullPath(Dll), Path.GetFullPath(info.AssemblyPath!));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DispatchOptions.PathEnvironmentVariable, previousPath);
            Backend.Configure(previousOptions);
        }
    }

    [TestMethod]
    public void A_call_on_its_own_array_type_runs_on_it_without_a_scope()
    {
        var cam = Cam();
        var bitmap = Bitmap(cam);
        Assert.AreEqual(BitmapTypeName, bitmap.GetType().FullName);
        Assert.AreEqual("contoso", bitmap.Kind);

        var explained = Backend.Explain(() => Filters.ThresholdOtsu(bitmap));

        Assert.AreEqual(Name, explained.Backend, explained.ToString());
        Assert.AreEqual(CandidateOrigin.Owner, explained.Call!.Candidates[0].Origin, explained.ToString());
        Assert.AreEqual(Scalar("filters", "th_otsu__cam"), explained.Result, "scikit-image's threshold");
        Assert.AreEqual(Filters.ThresholdOtsu(cam), explained.Result, "the default's threshold on the same pixels");
        Assert.IsTrue(Backend.Registered.Single(b => b.Name == Name).IsLoaded);
    }

    [TestMethod]
    public void Row_padding_and_strides_of_its_bitmaps_are_respected()
    {
        // 3 rows of 5 pixels at stride 8, padding full of 255s that must not be counted.
        var pixels = new byte[8 * 2 + 5];
        Array.Fill(pixels, (byte)255);
        byte[] values = [10, 10, 10, 200, 200, 10, 10, 200, 200, 200, 10, 50, 50, 200, 10];
        for (int y = 0; y < 3; y++) values.AsSpan(y * 5, 5).CopyTo(pixels.AsSpan(y * 8));
        var bitmap = NewBitmap(pixels, 5, 3, 8);

        Assert.AreEqual(Filters.ThresholdOtsu(HostArray.Create(values, 3, 5)), Filters.ThresholdOtsu(bitmap));
        Assert.AreEqual(50.0, Filters.ThresholdOtsu(bitmap));
        Assert.AreEqual(7.0, Filters.ThresholdOtsu(NewBitmap([7, 7, 7, 7, 0, 0, 0, 0, 7, 7, 7, 7], 4, 2, 8)), "a constant image gives its value");
    }

    [TestMethod]
    public void A_host_call_runs_on_the_default_unless_a_scope_opts_in()
    {
        var cam = Cam();
        var expected = Exposure.Histogram(cam);
        Assert.AreEqual("default", Backend.Explain(() => Exposure.Histogram(cam)).Backend);

        DispatchExplanation<HistogramResult> inScope;
        using (Backend.Use(Name))
            inScope = Backend.Explain(() => Exposure.Histogram(cam));

        Assert.AreEqual(Name, inScope.Backend, inScope.ToString());
        AssertSameHistogram(expected, inScope.Result);
        var fixture = Load<byte>("exposure", "in_cam");
        using (Backend.Use(Name))
            AssertMatches(Load("exposure", "histogram__cam__counts"), Exposure.Histogram(fixture).Counts, what: "scikit-image's counts");
        Assert.AreEqual("default", Backend.Explain(() => Exposure.Histogram(cam)).Backend, "the scope ended");

        Backend.SetDefault(Name);
        try { Assert.AreEqual(Name, Backend.Explain(() => Exposure.Histogram(cam)).Backend, "a process-wide opt-in"); }
        finally { Backend.ClearDefault(); }
    }

    [TestMethod]
    [DataRow("image", false)]
    [DataRow("dtype", false)]
    [DataRow("image", true)]
    [DataRow("dtype", true)]
    public void Inside_the_scope_it_gives_the_defaults_histogram(string sourceRange, bool normalize)
    {
        var rgb = Load<byte>("filters", "rgb");
        var fortran = FortranOrder(Cam());
        foreach (var image in new HostArray[] { Cam(), rgb, fortran, HostArray.Create(new byte[] { 9, 9, 9, 9 }, 2, 2) })
        {
            var expected = Exposure.Histogram(image, 256, sourceRange, normalize);
            using (Backend.Use(Name, only: true))
                AssertSameHistogram(expected, Exposure.Histogram(image, 256, sourceRange, normalize), image.ShapeText);
        }
    }

    [TestMethod]
    public void Declines_give_reasons()
    {
        var floats = Load("filters", "r32");

        // A float image: contoso declines, the default runs it, and Explain says why.
        DispatchExplanation<HistogramResult> explained;
        using (Backend.Use(Name))
            explained = Backend.Explain(() => Exposure.Histogram(floats));
        Assert.AreEqual("default", explained.Backend);
        Assert.IsTrue(explained.Call!.IsFallback);
        var declined = explained.Call.Candidates[0];
        Assert.AreEqual(Name, declined.Backend);
        Assert.AreEqual(CandidateOutcome.Declined, declined.Outcome, explained.ToString());
        StringAssert.Contains(declined.Reason, "uint8 images only");
        StringAssert.Contains(declined.Reason, "float32");

        // With only: true nothing else may run it, and the exception carries the same reason.
        using (Backend.Use(Name, only: true))
        {
            var ex = Assert.ThrowsExactly<BackendNotImplementedException>(() => Exposure.Histogram(floats));
            StringAssert.Contains(ex.Message, "uint8 images only");
        }

        // Otsu on a host array needs a conversion, which only an interop scope allows; the default runs it.
        using (Backend.Use(Name))
        {
            var otsu = Backend.Explain(() => Filters.ThresholdOtsu(Cam()));
            Assert.AreEqual("default", otsu.Backend);
            Assert.AreEqual(CandidateOutcome.NeedsConversion, otsu.Call!.Candidates[0].Outcome, otsu.ToString());
            StringAssert.Contains(otsu.Call.Candidates[0].Reason, "Backend.Interop(\"contoso\")");
        }

        // A histogram of a bitmap without an interop scope: contoso would need a conversion, the default takes host arrays.
        var bitmap = Bitmap(Cam());
        var none = Assert.ThrowsExactly<BackendNotImplementedException>(() => Exposure.Histogram(bitmap));
        StringAssert.Contains(none.Message, "Backend.Interop(\"contoso\")");
        StringAssert.Contains(none.Message, "owned by 'contoso'");
        // And a function it does not implement at all.
        var gaussian = Assert.ThrowsExactly<BackendNotImplementedException>(() => Filters.Gaussian(bitmap, 1));
        StringAssert.Contains(gaussian.Message, "does not implement gaussian");
    }

    [TestMethod]
    public void An_interop_scope_converts_between_host_arrays_and_bitmaps()
    {
        var cam = Cam();
        DispatchExplanation<double> otsu;
        DispatchExplanation<HistogramResult> histogram;
        var bitmap = Bitmap(cam);
        using (Backend.Interop(Name))
        {
            otsu = Backend.Explain(() => Filters.ThresholdOtsu(cam));
            histogram = Backend.Explain(() => Exposure.Histogram(bitmap));
        }

        Assert.AreEqual(Name, otsu.Backend, otsu.ToString());
        var toBitmap = otsu.Call!.Conversions.Single();
        Assert.AreEqual("image", toBitmap.Parameter);
        Assert.AreEqual(typeof(HostArray<byte>), toBitmap.From);
        Assert.AreEqual(BitmapTypeName, toBitmap.To.FullName);
        Assert.AreEqual(cam.Size, toBitmap.Bytes);
        Assert.AreEqual(Scalar("filters", "th_otsu__cam"), otsu.Result);

        Assert.AreEqual(Name, histogram.Backend, histogram.ToString());
        var toHost = histogram.Call!.Conversions.Single();
        Assert.AreEqual(BitmapTypeName, toHost.From.FullName);
        Assert.AreEqual(typeof(HostArray<byte>), toHost.To);
        AssertSameHistogram(Exposure.Histogram(cam), histogram.Result);

        // A float image cannot become a bitmap: no converter applies, and the default runs it.
        var floats = Load("filters", "r32");
        using (Backend.Interop(Name))
            Assert.AreEqual("default", Backend.Explain(() => Filters.ThresholdOtsu(floats)).Backend);
    }

    [TestMethod]
    public void A_colour_image_is_declined_before_any_conversion_and_the_default_runs_it()
    {
        var cam = Cam();
        int rows = cam.Shape[0], cols = cam.Shape[1];
        var rgb = HostArray.Zeros<byte>(rows, cols, 3);
        for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) for (int c = 0; c < 3; c++) rgb[y, x, c] = cam[y, x];

        DispatchExplanation<double> otsu;
        using (Backend.Interop(Name))
            otsu = Backend.Explain(() => Filters.ThresholdOtsu(rgb));

        Assert.AreEqual("default", otsu.Backend, otsu.ToString());
        var contoso = otsu.Call!.Candidates.Single(c => c.Backend == Name);
        Assert.AreEqual(CandidateOutcome.Declined, contoso.Outcome);
        StringAssert.Contains(contoso.Reason, "one 8-bit channel");
        Assert.AreEqual(0, otsu.Call.Conversions.Count, "the decline came before any conversion");
        Assert.AreEqual(Filters.ThresholdOtsu(rgb), otsu.Result);
    }

    // ---- helpers ----

    private static HostArray<byte> Cam() => Load<byte>("filters", "cam");

    private static void AssertSameHistogram(HistogramResult expected, HistogramResult actual, string? what = null)
    {
        AssertMatches(expected.Counts, actual.Counts, tolerance: 0, what: what);
        CollectionAssert.AreEqual(expected.BinCenters, actual.BinCenters, $"{what} bin centres");
    }

    /// <summary>The same values as a column-major view, so rows are not contiguous.</summary>
    private static HostArray<byte> FortranOrder(HostArray<byte> image)
    {
        int rows = image.Shape[0], cols = image.Shape[1];
        var data = new byte[rows * cols];
        for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) data[x * rows + y] = image[y, x];
        return new HostArray<byte>(System.Numerics.Tensors.Tensor.Create(data, 0, [rows, cols], [1, rows]));
    }

    private static Type BitmapType => ContosoAssembly().GetType(BitmapTypeName, throwOnError: true)!;

    private static NDArray Bitmap(HostArray<byte> image) =>
        (NDArray)BitmapType.GetMethod("FromHost")!.Invoke(null, [image])!;

    private static NDArray NewBitmap(byte[] pixels, int width, int height, int stride) =>
        (NDArray)Activator.CreateInstance(BitmapType, pixels, width, height, stride)!;

    private static int LoadedContosoAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "Contoso.Imaging");

    /// <summary>The example's assembly, loaded once (discovery may already have loaded it, from here or from SCOPED_BACKEND_PATH).</summary>
    private static Assembly ContosoAssembly() =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Contoso.Imaging")
        ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(Dll);
}
