namespace Scoped.Image.IO;

/// <summary>Writes a file so that readers see either the old file or the complete new one, never a half-written one.</summary>
/// <remarks>
/// The new content goes to a temporary file in the target's folder (same file system, so the rename is atomic), is
/// flushed to disk, then renamed over the target. The temporary file is named <c>.{name}.{random}.scoped-tmp</c>, so a
/// file left behind by a killed write is recognisably tied to its target and is deleted when the next write to that
/// target starts.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>The extension of temporary files.</summary>
    public const string TempExtension = ".scoped-tmp";

    /// <summary>A temporary file younger than this is never deleted by another write: its writer may be between creating
    /// and locking it. A killed write is cleaned up by the first write after this.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>Writes through a temporary file beside <paramref name="path"/>, then renames it over the target.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var pending = Begin(path);
        write(pending.Stream);
        pending.Commit();
    }

    /// <summary>Starts a write that takes longer than one call (a tiled writer's tiles): the caller writes to
    /// <see cref="Pending.Stream"/> and calls <see cref="Pending.Commit"/>; disposing without committing deletes the
    /// temporary file and leaves the target as it was.</summary>
    public static Pending Begin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{path}: the directory {directory} does not exist.");
        DeleteStale(directory, name);
        string temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}{TempExtension}");
        // FileShare.None takes an exclusive lock (flock on Unix), which is how a concurrent cleanup sees the file is live.
        return new Pending(full, temp, new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16));
    }

    /// <summary>A write in progress to a temporary file; see <see cref="Begin"/>.</summary>
    internal sealed class Pending(string target, string temp, FileStream stream) : IDisposable
    {
        private bool _done;

        /// <summary>The temporary file, open for reading and writing.</summary>
        public Stream Stream => stream;

        /// <summary>Flushes the temporary file to disk and renames it over the target.</summary>
        public void Commit()
        {
            ObjectDisposedException.ThrowIf(_done, this);
            try
            {
                stream.Flush(flushToDisk: true);
                stream.Dispose();
                File.Move(temp, target, overwrite: true);
                _done = true;
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Deletes the temporary file unless the write was committed.</summary>
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            stream.Dispose();
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Writes text (UTF-8, no byte order mark) atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });
    }

    /// <summary>
    /// Deletes temporary files of earlier writes to <paramref name="name"/> in <paramref name="directory"/> that are older
    /// than <see cref="StaleAfter"/> and not held open by a writer. Files of other targets are never touched. Failures
    /// are ignored: cleaning up is a courtesy, the write itself must not fail because of it.
    /// </summary>
    internal static void DeleteStale(string directory, string name)
    {
        IEnumerable<string> candidates;
        try
        {
            // A name holding pattern characters cannot be a search pattern; the prefix is checked by hand either way.
            string prefix = "." + name + ".";
            string pattern = name.IndexOfAny(['*', '?']) < 0 ? prefix + "*" : ".*";
            candidates = Directory.EnumerateFiles(directory, pattern)
                .Where(p => Path.GetFileName(p) is var f && f.StartsWith(prefix, StringComparison.Ordinal) && IsTempName(f[prefix.Length..]))
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return; }
        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (var candidate in candidates)
        {
            try
            {
                if (File.GetLastWriteTimeUtc(candidate) > cutoff) continue;
                // Opening with FileShare.None fails while a writer holds its lock; DeleteOnClose then removes the file
                // only while this handle proves nobody else has it.
                using var _ = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    // "{32 hex}.scoped-tmp", or "{32 hex}.tmp" as written by earlier versions.
    private static bool IsTempName(string rest)
    {
        int dot = rest.IndexOf('.');
        if (dot != 32 || !rest[..32].All(char.IsAsciiHexDigitLower)) return false;
        var extension = rest[32..];
        return extension is TempExtension or ".tmp";
    }
}
