using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Scoped.Dispatch;

/// <summary>Counters published through System.Diagnostics.Metrics under the meter <see cref="MeterName"/>.</summary>
public static class DispatchMetrics
{
    /// <summary>The meter's name: listen with a MeterListener or <c>dotnet-counters monitor --counters Scoped.Dispatch</c>.</summary>
    public const string MeterName = "Scoped.Dispatch";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Dispatched calls, tagged with the backend that ran them.</summary>
    internal static readonly Counter<long> Calls = s_meter.CreateCounter<long>("scoped.dispatch.calls", "{call}", "Dispatched calls, by the backend that ran them.");
    /// <summary>Calls that ran on a later candidate than one asked for.</summary>
    internal static readonly Counter<long> Fallbacks = s_meter.CreateCounter<long>("scoped.dispatch.fallbacks", "{call}", "Calls that fell back past a backend asked for.");
    internal static readonly Counter<long> Conversions = s_meter.CreateCounter<long>("scoped.dispatch.conversions", "{conversion}", "Array conversions made in interop scopes.");
    internal static readonly Counter<long> ConvertedBytes = s_meter.CreateCounter<long>("scoped.dispatch.converted_bytes", "By", "Bytes moved by conversions in interop scopes.");

    internal static void RecordCall(string backend, bool fallback)
    {
        var tag = new KeyValuePair<string, object?>("backend", backend);
        Calls.Add(1, tag);
        if (fallback) Fallbacks.Add(1, tag);
    }

    internal static void RecordConversion(string backend, long bytes)
    {
        var tag = new KeyValuePair<string, object?>("backend", backend);
        Conversions.Add(1, tag);
        if (bytes > 0) ConvertedBytes.Add(bytes, tag);
    }
}

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Resolved {Multimethod}({Types}) under {Scope}: {Backend}. Candidates: {Trace}")]
    public static partial void Resolved(ILogger logger, string multimethod, string types, string scope, string backend, string trace);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Multimethod}: backend '{Backend}' declined: {Reason}")]
    public static partial void Declined(ILogger logger, string multimethod, string backend, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Multimethod}({Types}) fell back to '{Backend}'. Candidates: {Trace}")]
    public static partial void Fallback(ILogger logger, string multimethod, string types, string backend, string trace);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Backend discovery could not read {Path}: {Reason}")]
    public static partial void DiscoveryFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Loaded backend '{Backend}' from {Path}")]
    public static partial void Loaded(ILogger logger, string backend, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Backend '{Backend}' could not be loaded from {Path}: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string backend, string path, string reason);
}
