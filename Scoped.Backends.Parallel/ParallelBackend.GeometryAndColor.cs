using Scoped.Image;

namespace Scoped.Backends.Parallel;

public sealed partial class ParallelBackend
{
    private void RegisterGeometryAndColor()
    {
        // transform: bands of output rows over the whole input (rescale resolves to resize)
        Banded(Transform.Methods.Resize);
        Banded(Transform.Methods.Rotate);
        Banded(Transform.Methods.Warp);
        Banded(Transform.Methods.PyramidReduce);

        // color: per pixel
        Banded(Color.Methods.Rgb2Gray);
        Banded(Color.Methods.Gray2Rgb);
        Banded(Color.Methods.Rgb2Hsv);
        Banded(Color.Methods.Hsv2Rgb);

        // exposure, pointwise (the image min/max: exact per-band partials merged in band order)
        Banded(Exposure.Methods.RescaleIntensity);
        Banded(Exposure.Methods.AdjustGamma);

        // util (crop is a view: nothing to run)
        Banded(Util.Methods.ImgAsFloat);
        Banded(Util.Methods.ImgAsUbyte);
        Banded(Util.Methods.Pad);
    }
}
