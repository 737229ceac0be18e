using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Scoped.Dispatch;

/// <summary>
/// A backend: a name, the domains it serves, the array types it owns, implementations per multimethod and
/// per argument-type tuple, converters from foreign array types to its own, and optionally a way to decline
/// a call after looking at its values. Derive from it (discovered backends need a public parameterless
/// constructor) or build one fluently: <c>new DispatchBackend("fast", "my.domain").Implement(mm, impl)</c>.
/// </summary>
// Public methods are kept on every backend type, so that whether it overrides Decline can be read (DeclinesCalls).
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
public class DispatchBackend
{
    /// <summary>The name reserved for a multimethod's own default implementation.</summary>
    public const string DefaultName = "default";

    private readonly object _gate = new();
    private readonly List<Type> _ownedTypes = [];
    private Converter[] _converters = [];
    private Dictionary<Multimethod, Registration[]> _implementations = [];

    /// <summary>Creates a backend.</summary>
    /// <param name="name">Its name: letters, digits, '.', '_' or '-' (SCOPED_BACKENDS separates names with commas).</param>
    /// <param name="domains">The domains it serves; a backend for "a" also serves "a.b".</param>
    public DispatchBackend(string name, params string[] domains)
        : this(name, domains, isDefault: false) { }

    private protected DispatchBackend(string name, string[] domains, bool isDefault)
    {
        ValidateName(name, nameof(name), allowReserved: isDefault);
        ArgumentNullException.ThrowIfNull(domains);
        if (domains.Length == 0) throw new ArgumentException($"Backend '{name}' must serve at least one domain.", nameof(domains));
        foreach (var d in domains) Domain.Validate(d, nameof(domains));
        Name = name;
        Domains = [.. domains.Distinct(StringComparer.Ordinal)];
        Version = GetType().Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                  ?? GetType().Assembly.GetName().Version?.ToString() ?? "0.0.0";
        Description = name;
        DeclinesCalls = GetType().GetMethod(nameof(Decline), BindingFlags.Public | BindingFlags.Instance)!.DeclaringType != typeof(DispatchBackend);
    }

    /// <summary>The backend's name.</summary>
    public string Name { get; }

    /// <summary>The domains it serves.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>One line for people (shown by Explain, discovery and the CLI).</summary>
    public string Description { get; init; }

    /// <summary>The backend's version; defaults to its assembly's informational version.</summary>
    public string Version { get; init; }

    /// <summary>The array types this backend owns: calls with such arguments reach it without any scope.</summary>
    public IReadOnlyList<Type> OwnedTypes { get { lock (_gate) return [.. _ownedTypes]; } }

    /// <summary>Null when the backend can run here; otherwise why not (no device, driver too old, ...).
    /// Checked when a call is resolved; call <see cref="Backend.Invalidate"/> if it changes.</summary>
    public virtual string? UnavailableReason => null;

    /// <summary>Cheap metadata: name, description, version, domains, the functions implemented, owned types.</summary>
    public BackendInfo Info
    {
        get
        {
            lock (_gate)
            {
                return new BackendInfo(Name, Description, Version, Domains,
                    [.. _implementations.Keys.Select(m => m.Name).Order(StringComparer.Ordinal)],
                    [.. _ownedTypes.Select(t => t.FullName ?? t.Name)])
                { IsLoaded = true, UnavailableReason = SafeUnavailableReason() };
            }
        }
    }

    internal bool DeclinesCalls { get; }

    /// <summary><see cref="UnavailableReason"/>, with an exception it throws turned into the reason: one faulty backend
    /// must not break <c>Backend.Registered</c> or resolution for everyone else.</summary>
    internal string? SafeUnavailableReason()
    {
        try
        {
            return UnavailableReason is { } reason ? MessageText.Escape(reason) : null;
        }
        catch (Exception ex)
        {
            return MessageText.Escape($"{nameof(UnavailableReason)} threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Looks at a call's values before it runs (the <c>can_has</c> of scikit-image) and returns a reason to decline
    /// it, or null to run it. When declined, the dispatcher tries the next candidate. Override only when needed:
    /// a backend that can decline is tried through a slower (boxing) call path.
    /// </summary>
    /// <param name="call">The multimethod and its arguments as the caller passed them: in an interop scope this runs
    /// before any conversion, so declining costs no upload (an implementation's own decline, given to
    /// <c>Implement</c>, sees the converted arguments).</param>
    public virtual string? Decline(DispatchCall call) => null;

    /// <summary>Declares that this backend owns <typeparamref name="T"/> (and types derived from it).</summary>
    public DispatchBackend Owns<T>() => Owns(typeof(T));

    /// <summary>Declares that this backend owns <paramref name="type"/> (and types derived from it; an open generic type owns its constructions).</summary>
    public DispatchBackend Owns(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsValueType) throw new ArgumentException($"Owned array types must be reference types; '{type}' is a value type.", nameof(type));
        lock (_gate) if (!_ownedTypes.Contains(type)) _ownedTypes.Add(type);
        Registry.Invalidate();
        return this;
    }

    /// <summary>
    /// Registers an implementation of <paramref name="multimethod"/>. Its parameters match the multimethod's one for one;
    /// at the dispatchable positions it may take more specific types (that is the argument-type tuple it is registered
    /// for), and its return type may be more specific. The most specific registration wins at call time; two registrations
    /// that would be equally specific for some arguments are rejected here.
    /// </summary>
    /// <param name="multimethod">The multimethod implemented.</param>
    /// <param name="implementation">A delegate whose shape fits the multimethod, e.g. <c>(HostArray a, double s) =&gt; ...</c>.</param>
    /// <param name="decline">Optional: returns a reason to decline a call after looking at its values, or null to run it.</param>
    public DispatchBackend Implement(Multimethod multimethod, Delegate implementation, Func<DispatchCall, string?>? decline = null)
    {
        ArgumentNullException.ThrowIfNull(multimethod);
        ArgumentNullException.ThrowIfNull(implementation);
        if (!Domains.Any(d => Domain.Serves(d, multimethod.DomainName)))
            throw new ArgumentException($"Backend '{Name}' serves [{string.Join(", ", Domains)}], which does not include the domain '{multimethod.DomainName}' of {multimethod.Name}.", nameof(multimethod));
        var registration = multimethod.CreateRegistration(this, implementation, decline);
        lock (_gate)
        {
            var existing = _implementations.GetValueOrDefault(multimethod, []);
            foreach (var other in existing)
            {
                if (other.DispatchTypes.SequenceEqual(registration.DispatchTypes))
                    throw new ArgumentException($"Backend '{Name}' already implements {registration.Describe()}; each argument-type tuple is registered once.", nameof(implementation));
                if (TypeRules.Ambiguous(other.DispatchTypes, registration.DispatchTypes, out var witness))
                    throw new ArgumentException(
                        $"Backend '{Name}': {registration.Describe()} and {other.Describe()} would be equally specific for {witness}; " +
                        "register an implementation for the more specific overlap, or make one a subtype of the other.", nameof(implementation));
            }
            // Copy on write: resolution reads the dictionary without taking the lock.
            _implementations = new Dictionary<Multimethod, Registration[]>(_implementations) { [multimethod] = [.. existing, registration] };
        }
        Registry.Invalidate();
        return this;
    }

    /// <summary>Registers a converter from a foreign array type to one of this backend's (or back), used only inside
    /// interop (coerce) scopes: arguments are converted to this backend's types and the result converted back.
    /// What the dispatcher converts belongs to the call: a converted argument, and the backend's own result once
    /// converted back, are disposed (when <see cref="IDisposable"/>) as the call ends, also when it throws or declines.</summary>
    /// <typeparam name="TFrom">The type converted from (and its subtypes).</typeparam>
    /// <typeparam name="TTo">The type produced.</typeparam>
    /// <param name="convert">The conversion. It must not modify its input.</param>
    /// <param name="byteCount">Optional: the bytes a conversion moves, for Explain and the converted-bytes counter.</param>
    public DispatchBackend AddConverter<TFrom, TTo>(Func<TFrom, TTo> convert, Func<TFrom, long>? byteCount = null)
        where TFrom : class where TTo : class
    {
        ArgumentNullException.ThrowIfNull(convert);
        if (typeof(TTo).IsAssignableFrom(typeof(TFrom)))
            throw new ArgumentException($"A converter from {typeof(TFrom).Name} to {typeof(TTo).Name} would be an identity; {typeof(TFrom).Name} already is a {typeof(TTo).Name}.", nameof(convert));
        lock (_gate)
        {
            if (_converters.Any(c => c.From == typeof(TFrom) && c.To == typeof(TTo)))
                throw new ArgumentException($"Backend '{Name}' already has a converter from {typeof(TFrom).Name} to {typeof(TTo).Name}.", nameof(convert));
            // Copy on write, like the implementations: the call path reads the array without the lock.
            _converters = [.. _converters, new Converter(typeof(TFrom), typeof(TTo), o => convert((TFrom)o), byteCount is null ? null : o => byteCount((TFrom)o))];
        }
        Registry.Invalidate();
        return this;
    }

    internal IReadOnlyList<Registration> RegistrationsFor(Multimethod multimethod) =>
        Volatile.Read(ref _implementations).GetValueOrDefault(multimethod, []);

    internal Converter[] Converters => Volatile.Read(ref _converters);

    internal bool OwnsType(Type type)
    {
        lock (_gate) return _ownedTypes.Exists(o => TypeRules.IsOwnedBy(type, o));
    }

    internal bool Serves(string domain)
    {
        foreach (var d in Domains) if (Domain.Serves(d, domain)) return true;
        return false;
    }

    internal static void ValidateName(string? name, string parameterName, bool allowReserved = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (!name.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException($"Backend name '{MessageText.Escape(name)}' may hold only letters, digits, '.', '_' and '-'.", parameterName);
        if (!allowReserved && string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The backend name '{DefaultName}' is reserved for multimethods' own default implementations.", parameterName);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Domains)}]";
}

/// <summary>The pseudo-backend that holds one multimethod's own default implementation. It takes only host
/// arrays (types no backend owns).</summary>
internal sealed class DefaultBackend(Multimethod multimethod) : DispatchBackend(DefaultName, [multimethod.DomainName], isDefault: true);

/// <summary>One implementation of one multimethod by one backend, adapted to the multimethod's delegate type.</summary>
internal sealed class Registration(Multimethod method, DispatchBackend backend, Delegate target, Type[] dispatchTypes, Type returnType, Func<DispatchCall, string?>? decline)
{
    public Multimethod Method { get; } = method;
    public DispatchBackend Backend { get; } = backend;
    /// <summary>The implementation as a delegate of the multimethod's own type.</summary>
    public Delegate Target { get; } = target;
    public Type[] DispatchTypes { get; } = dispatchTypes;
    public Type ReturnType { get; } = returnType;
    public Func<DispatchCall, string?>? Decline { get; } = decline;
    public string Describe() => $"{Method.Function}({string.Join(", ", DispatchTypes.Select(t => t.Name))})";
}

/// <summary>A converter between array types, registered by a backend.</summary>
internal sealed record Converter(Type From, Type To, Func<object, object> Convert, Func<object, long>? Bytes);

/// <summary>Subtyping rules for matching argument types against registrations.</summary>
internal static class TypeRules
{
    /// <summary>True when every position of <paramref name="a"/> is the same as or a subtype of <paramref name="b"/>'s.</summary>
    public static bool AtLeastAsSpecific(Type[] a, Type[] b)
    {
        for (var i = 0; i < a.Length; i++) if (!b[i].IsAssignableFrom(a[i])) return false;
        return true;
    }

    /// <summary>Two registrations are ambiguous when some argument tuple fits both and neither is at least as specific as the other.</summary>
    public static bool Ambiguous(Type[] a, Type[] b, out string witness)
    {
        witness = "";
        if (AtLeastAsSpecific(a, b) || AtLeastAsSpecific(b, a)) return false;
        for (var i = 0; i < a.Length; i++) if (!MayOverlap(a[i], b[i])) return false;
        witness = "(" + string.Join(", ", a.Zip(b, (x, y) => x.IsAssignableFrom(y) ? y.Name : y.IsAssignableFrom(x) ? x.Name : $"a type that is both {x.Name} and {y.Name}")) + ")";
        return true;
    }

    // An owned interface is referenced by the backend (Owns(typeof(IFoo<>))), so trimming keeps it and its
    // implementations on the types the program creates; discovered names only matter where discovery runs (not trimmed).
    private const string OwnedInterfacesAreKept = "An owned interface is kept by the backend's own reference to it, and with it its implementations on types the program creates.";

    /// <summary>True when some runtime type could be both <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static bool MayOverlap(Type a, Type b) =>
        a.IsAssignableFrom(b) || b.IsAssignableFrom(a)
        || (a.IsInterface && (b.IsInterface || !b.IsSealed))
        || (b.IsInterface && !a.IsSealed);

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = OwnedInterfacesAreKept)]
    public static bool IsOwnedBy(Type type, Type owned)
    {
        if (owned.IsGenericTypeDefinition)
        {
            for (var t = type; t is not null; t = t.BaseType)
                if (t.IsGenericType && t.GetGenericTypeDefinition() == owned) return true;
            return type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == owned);
        }
        return owned.IsAssignableFrom(type);
    }

    /// <summary>Name-based ownership, for discovered backends whose code is not loaded yet.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = OwnedInterfacesAreKept)]
    public static bool IsOwnedBy(Type type, string ownedFullName)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (Matches(t, ownedFullName)) return true;
        return type.GetInterfaces().Any(i => Matches(i, ownedFullName));

        static bool Matches(Type t, string name) =>
            string.Equals(t.FullName, name, StringComparison.Ordinal)
            || (t.IsGenericType && string.Equals(t.GetGenericTypeDefinition().FullName, name, StringComparison.Ordinal));
    }
}
