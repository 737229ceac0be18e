using Contoso.Imaging;
using Scoped.Dispatch;

// What discovery reads, from metadata alone, without running any of this assembly's code: the backend's name, type
// and domains, the array types it owns (so Gray8Image calls find it before it is loaded), and what it implements.
[assembly: ScopedBackend(ContosoBackend.BackendName, typeof(ContosoBackend), "scoped.image",
    OwnedTypes = [typeof(Gray8Image)],
    Functions = ["scoped.image.exposure:histogram", "scoped.image.filters:threshold_otsu"],
    Description = "Contoso.Imaging: Gray8Image bitmaps, and a one-pass 8-bit histogram")]
