using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Scoped.Tests.Packaging;

/// <summary>What the tests that build and run whole programs (packaging, the AOT example) share.</summary>
internal static class ChildProcess
{
    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scoped.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Scoped.sln in {AppContext.BaseDirectory} or any folder above it");
    }

    /// <summary>The dotnet host that runs the tests: DOTNET_HOST_PATH (set by the SDK), else PATH, else the runtime's own install.</summary>
    public static string FindDotnet()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, exe))) return Path.Combine(dir, exe);
        // The runtime lives in DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/.
        string fromRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", exe));
        if (File.Exists(fromRuntime)) return fromRuntime;
        throw new InvalidOperationException("dotnet not found: set DOTNET_HOST_PATH or put dotnet on PATH");
    }

    /// <summary>Runs a process to completion and returns its stdout; a non-zero exit or a time-out fails with all its output.</summary>
    public static string Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // The outer `dotnet test` leaves MSBuild settings in the environment that would steer a nested build, and
        // other tests may set SCOPED_* variables for a moment; the children get a clean slate.
        foreach (string name in start.Environment.Keys.ToList())
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("SCOPED_", StringComparison.Ordinal))
                start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // An installed tool's launcher looks for the runtime here when dotnet is not in a standard place.
        string dotnetRoot = Path.GetDirectoryName(FindDotnet())!;
        start.Environment["DOTNET_ROOT"] = dotnetRoot;

        var output = new StringBuilder();
        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (output) { output.AppendLine(e.Data); stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string command = $"{fileName} {string.Join(' ', arguments)}";
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"`{command}` did not finish within {timeout}. Output:\n{output}");
        }
        process.WaitForExit(); // drains the redirected streams
        Assert.AreEqual(0, process.ExitCode, $"`{command}` failed. Output:\n{output}");
        return stdout.ToString();
    }
}
