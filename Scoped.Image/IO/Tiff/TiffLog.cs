using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace Scoped.Image.IO;

/// <summary>
/// LibTiff.NET reports problems through one process-wide handler (and by default prints them). Scoped's calls into it
/// run synchronously on the calling thread inside <see cref="Capture"/>, so a thread-static log collects what libtiff
/// says during that call; the reader turns a failed call into an <see cref="ImageFileException"/> with libtiff's own
/// words. Messages outside Scoped's calls go to the handler that was installed before (another library's, or the
/// default), so Scoped changes nothing for other users of LibTiff.NET in the process.
/// </summary>
internal static class TiffLog
{
    [ThreadStatic] private static List<string>? t_errors;

    private static readonly TiffErrorHandler? s_previous = Tiff.SetErrorHandler(new Router());

    /// <summary>Collects libtiff's errors on this thread until disposed (nested captures share the outer log).</summary>
    public static Scope Capture()
    {
        _ = s_previous; // the static initialiser installs the router
        var outer = t_errors;
        t_errors = outer ?? [];
        return new Scope(outer);
    }

    /// <summary>What libtiff reported in the current capture, or a fallback when it said nothing.</summary>
    public static string LastError(string fallback) => t_errors is { Count: > 0 } errors ? errors[^1] : fallback;

    /// <summary>An <see cref="ImageFileException"/> for <paramref name="name"/> with libtiff's last message.</summary>
    public static ImageFileException Failure(string name, string what) => new(name, $"{what}: {LastError("libtiff reported no reason")}.");

    public readonly struct Scope(List<string>? outer) : IDisposable
    {
        public void Dispose() => t_errors = outer;
    }

    private sealed class Router : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (t_errors is { } errors) errors.Add(Format(method, format, args));
            else s_previous?.ErrorHandler(tif, method, format, args);
        }

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
            if (t_errors is null) s_previous?.ErrorHandlerExt(tif, clientData, method, format, args);
        }

        // Warnings (unknown tags, odd but readable fields) do not stop a read; inside Scoped's calls they are dropped.
        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (t_errors is null) s_previous?.WarningHandler(tif, method, format, args);
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
            if (t_errors is null) s_previous?.WarningHandlerExt(tif, clientData, method, format, args);
        }

        private static string Format(string method, string format, object[] args)
        {
            string text;
            try { text = string.Format(CultureInfo.InvariantCulture, format, args); }
            catch (FormatException) { text = format; }
            return string.IsNullOrEmpty(method) ? text : $"{method}: {text}";
        }
    }
}
