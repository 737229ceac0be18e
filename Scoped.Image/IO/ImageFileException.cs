using Scoped.Dispatch;

namespace Scoped.Image.IO;

/// <summary>A file that is not a valid image or array file: corrupt, truncated, or of an unsupported kind.</summary>
public sealed class ImageFileException : IOException
{
    /// <summary>Creates the exception; the message is prefixed with the file name. Control characters in either (a
    /// header's text is echoed in many problems) are shown as escapes, so a hostile file cannot rewrite a terminal or
    /// forge log lines.</summary>
    public ImageFileException(string fileName, string problem, Exception? inner = null)
        : base($"{MessageText.Escape(fileName)}: {MessageText.Escape(problem)}", inner)
    {
        FileName = fileName;
        Problem = MessageText.Escape(problem);
    }

    /// <summary>The file (or stream name) that was being read or written, as given.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with it, with control characters escaped.</summary>
    public string Problem { get; }
}
