using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

/// <summary>Array types for dispatch tests. Each test uses its own domain (see <see cref="TestKit.NewDomain"/>), so
/// backends registered by one test never serve another's multimethods.</summary>
public class HostArray(string tag = "") { public string Tag { get; } = tag; }
public sealed class SubHostArray(string tag = "") : HostArray(tag);
public class DeviceArray(string tag = "") { public string Tag { get; } = tag; }
public interface ITagged;
public interface INamed;
public sealed class TaggedHost : HostArray, ITagged, INamed;

public static class TestKit
{
    private static int s_counter;

    /// <summary>A fresh domain, so tests sharing the process-wide registry stay independent.</summary>
    public static string NewDomain() => $"tests.d{Interlocked.Increment(ref s_counter)}";

    /// <summary>A fresh backend name.</summary>
    public static string NewName(string stem) => $"{stem}{Interlocked.Increment(ref s_counter)}";

    /// <summary>A unary multimethod "domain:op" whose default returns "default".</summary>
    public static Multimethod<Func<object, string>> Unary(string domain, bool withDefault = true) =>
        Multimethod.Create<Func<object, string>>($"{domain}:op", withDefault ? _ => "default" : null);

    /// <summary>A backend answering its own name for the given multimethod and argument type.</summary>
    public static DispatchBackend Answering<TArg>(string name, string domain, Multimethod<Func<object, string>> method) =>
        new DispatchBackend(name, domain).Implement(method, (TArg _) => name);
}
