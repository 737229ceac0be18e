using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Scoped.Dispatch;

/// <summary>
/// A named operation in a domain ("scoped.image.filters:gaussian") whose implementation is chosen per call by the
/// types of its dispatchable arguments and the backend scopes in force. Declare one with
/// <see cref="Create{TDelegate}(string, TDelegate, int[])"/> and call it through <see cref="Multimethod{TDelegate}.Invoke"/>.
/// </summary>
public abstract class Multimethod
{
    private static int s_nextId = -1;

    private protected Multimethod(string name, Type delegateType, int[] dispatchOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var colon = name.IndexOf(':');
        if (colon <= 0 || colon != name.LastIndexOf(':') || colon == name.Length - 1)
            throw new ArgumentException($"Multimethod name '{MessageText.Escape(name)}' must be 'domain:function', e.g. 'scoped.image.filters:gaussian'.", nameof(name));
        Domain.Validate(name[..colon], nameof(name));
        var function = name[(colon + 1)..];
        if (!(char.IsLetter(function[0]) || function[0] == '_') || !function.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"Multimethod name '{MessageText.Escape(name)}': the function part '{MessageText.Escape(function)}' must be an identifier.", nameof(name));

        var invoke = DelegateInvoke.Of(delegateType);
        var parameters = invoke.GetParameters();
        if (parameters.Any(p => p.ParameterType.IsByRef))
            throw new ArgumentException($"Multimethod '{name}': ref, out and in parameters cannot be dispatched; use a delegate type with plain parameters.", nameof(delegateType));
        if (dispatchOn.Length == 0) dispatchOn = [0];
        if (dispatchOn.Length > TypeKey.MaxArity)
            throw new ArgumentException($"Multimethod '{name}' dispatches on {dispatchOn.Length} parameters; at most {TypeKey.MaxArity} are supported.", nameof(dispatchOn));
        foreach (var i in dispatchOn)
        {
            if ((uint)i >= (uint)parameters.Length)
                throw new ArgumentException($"Multimethod '{name}': dispatchable parameter index {i} is out of range; the delegate has {parameters.Length} parameters.", nameof(dispatchOn));
            if (parameters[i].ParameterType.IsValueType)
                throw new ArgumentException($"Multimethod '{name}': parameter {i} ('{parameters[i].Name}') is a value type; only reference types (arrays) can be dispatchable.", nameof(dispatchOn));
        }
        if (dispatchOn.Distinct().Count() != dispatchOn.Length)
            throw new ArgumentException($"Multimethod '{name}': dispatchable parameter indices must be distinct.", nameof(dispatchOn));

        Id = Interlocked.Increment(ref s_nextId);
        Name = name;
        DomainName = name[..colon];
        Function = function;
        DelegateType = delegateType;
        DispatchParameters = [.. dispatchOn];
        ParameterTypes = [.. parameters.Select(p => p.ParameterType)];
        ParameterNames = [.. parameters.Select((p, i) => p.Name ?? $"arg{i}")];
        ReturnType = invoke.ReturnType;
        var first = ParameterTypes[dispatchOn[0]];
        // The result is an array (whose kind must match the inputs') when its type is the first dispatchable
        // parameter's, or related to it; string and object alone say nothing.
        ReturnsArray = ReturnType == first
                       || (ReturnType != typeof(object) && ReturnType != typeof(string) && !ReturnType.IsValueType && first != typeof(object)
                           && (ReturnType.IsAssignableFrom(first) || first.IsAssignableFrom(ReturnType)));
    }

    /// <summary>Declares a multimethod.</summary>
    /// <typeparam name="TDelegate">Its signature, e.g. <c>Func&lt;ImageArray, double, ImageArray&gt;</c> or a custom delegate type (whose parameter names then appear in messages).</typeparam>
    /// <param name="name">"domain:function".</param>
    /// <param name="defaultImplementation">Runs when no backend handles the call; it takes host arrays (types no backend owns). Null for none.</param>
    /// <param name="dispatchOn">Indices of the dispatchable (array) parameters; the first parameter when empty.</param>
    public static Multimethod<TDelegate> Create<TDelegate>(string name, TDelegate? defaultImplementation = null, params int[] dispatchOn)
        where TDelegate : Delegate => new(name, defaultImplementation, dispatchOn ?? []);

    internal int Id { get; }

    /// <summary>The full name, "domain:function".</summary>
    public string Name { get; }

    /// <summary>The domain, e.g. "scoped.image.filters".</summary>
    public string DomainName { get; }

    /// <summary>The function, e.g. "gaussian".</summary>
    public string Function { get; }

    /// <summary>The delegate type giving the signature.</summary>
    public Type DelegateType { get; }

    /// <summary>Indices of the dispatchable parameters.</summary>
    public IReadOnlyList<int> DispatchParameters { get; }

    /// <summary>Whether a default implementation exists.</summary>
    public bool HasDefault => DefaultBackend is not null;

    internal Type[] ParameterTypes { get; }
    internal string[] ParameterNames { get; }
    internal Type ReturnType { get; }

    /// <summary>True when the result is an array whose kind must match the inputs'.</summary>
    internal bool ReturnsArray { get; }

    internal DispatchBackend? DefaultBackend { get; private protected set; }

    /// <summary>Which backend would run a call with arguments of these runtime types, and why, in the current scope
    /// (without running anything; a backend may still decline at call time after looking at values).</summary>
    /// <param name="argumentTypes">One runtime type per dispatchable parameter.</param>
    public DispatchRecord Explain(params Type[] argumentTypes)
    {
        ArgumentNullException.ThrowIfNull(argumentTypes);
        if (argumentTypes.Length != DispatchParameters.Count)
            throw new ArgumentException($"{Name} has {DispatchParameters.Count} dispatchable parameters; {argumentTypes.Length} types were given.", nameof(argumentTypes));
        var plan = Resolver.Resolve(this, ScopeNode.Current, argumentTypes, Registry.Version);
        return new DispatchRecord(Name, argumentTypes, plan.Trace) { IsFallback = plan.IsFallback };
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    // ---- the cached path -------------------------------------------------------------------------

    /// <summary>Resolves a call that missed the current scope node's one-entry cache.</summary>
    private protected Plan Miss(ScopeNode node, ReadOnlySpan<object?> dispatchArgs)
    {
        if (dispatchArgs.Length != DispatchParameters.Count)
            throw new ArgumentException($"{Name} dispatches on {DispatchParameters.Count} parameters; Target was called with {dispatchArgs.Length}.", nameof(dispatchArgs));
        var key = default(TypeKey);
        for (var i = 0; i < dispatchArgs.Length; i++)
        {
            var name = ParameterNames[DispatchParameters[i]];
            key = key.With(i, dispatchArgs[i]?.GetType() ?? throw new ArgumentNullException(name, $"{Name}: the array argument '{name}' must not be null."));
        }
        var version = Registry.Version;
        if (!node.TryGetPlan(Id, key, version, out var plan))
        {
            plan = Resolver.Resolve(this, node, key.ToArray(), version);
            node.StorePlan(Id, key, plan);
        }
        plan.NoteCall();
        return plan;
    }

    // ---- the slow path: declines, conversions, explain, failures ------------------------------------

    /// <summary>The default implementation, run while what <paramref name="enter"/> opens is open (see
    /// <see cref="Multimethod{TDelegate}.Around"/>): for a backend that registers many multimethods in one loop.</summary>
    /// <param name="enter">Called before each call; its result is disposed after the call.</param>
    /// <exception cref="InvalidOperationException">The multimethod has no default implementation.</exception>
    public abstract Delegate AroundDefault(Func<IDisposable?> enter);

    internal abstract Registration CreateRegistration(DispatchBackend backend, Delegate implementation, Func<DispatchCall, string?>? decline);
    internal abstract object? InvokeBoxed(Delegate target, object?[] arguments);
    internal abstract Delegate CreateSlowTarget(Plan plan);
    internal abstract Delegate CreateCheckedTarget(Plan plan, Delegate implementation);

    /// <summary>Runs a call that cannot take the direct path: candidates may decline, arguments may need converting,
    /// the call may be recorded for Explain, or no candidate is left.</summary>
    internal object? RunSlow(Plan plan, object?[] arguments)
    {
        if (plan.Failure is not null) throw plan.Failure();
        var started = Stopwatch.GetTimestamp();
        var trace = plan.Trace.ToArray();
        var record = plan.Recorder?.Begin(this, plan.ArgumentTypes, trace);
        List<ConversionReport>? conversions = record is null ? null : [];
        var state = Registry.Current;
        try
        {
            foreach (var candidate in plan.Viable)
            {
                // In an interop scope the backend's own Decline sees the caller's arguments, before anything is
                // converted, so it can refuse (say, an image too small to be worth an upload) without paying for one.
                var reason = candidate.NeedsConversion ? candidate.BackendDeclineReason(new DispatchCall(this, arguments)) : null;
                // Arrays converted for this call belong to the dispatcher: freed on every path once the call is done.
                List<IDisposable>? temporaries = null;
                try
                {
                    var args = arguments;
                    if (reason is null && candidate.NeedsConversion)
                    {
                        args = Convert(candidate, arguments, conversions, ref temporaries);
                        reason = candidate.ImplementationDeclineReason(new DispatchCall(this, args));
                    }
                    else if (reason is null)
                    {
                        reason = candidate.DeclineReason(new DispatchCall(this, args));
                    }
                    if (reason is not null)
                    {
                        trace[candidate.TraceIndex] = trace[candidate.TraceIndex] with { Outcome = CandidateOutcome.Declined, Reason = reason };
                        Log.Declined(state.Logger, Name, candidate.Backend.Name, reason);
                        continue;
                    }
                    trace[candidate.TraceIndex] = trace[candidate.TraceIndex] with { Outcome = CandidateOutcome.Selected };
                    // A fallback known at resolution was already reported then (once per plan); one caused by a
                    // decline at call time is reported here.
                    var fallback = plan.IsFallback || trace.Take(candidate.TraceIndex).Any(Resolver.IsRequestedAndPassedOver);
                    if (fallback && !plan.IsFallback) Resolver.OnFallback(state, this, plan.ArgumentTypes, trace, candidate);
                    var result = InvokeBoxed(candidate.Registration.Target, args);
                    // Only an array result has a kind to give back; a number or a record (a histogram) is returned as it is.
                    if (candidate.NeedsConversion && ReturnsArray && result is not null)
                    {
                        var back = ConvertBack(candidate, result, plan, conversions);
                        // The backend's own result was converted for the caller, who never sees it: free it too.
                        if (!ReferenceEquals(back, result) && result is IDisposable produced) (temporaries ??= []).Add(produced);
                        result = back;
                    }
                    if (ReturnsArray) CheckResult(plan, result, candidate.Backend.Name);
                    DispatchMetrics.RecordCall(candidate.Backend.Name, fallback);
                    if (record is not null)
                    {
                        record.Candidates = trace;
                        record.Conversions = conversions!;
                        record.IsFallback = fallback;
                    }
                    return result;
                }
                finally
                {
                    if (temporaries is not null) DisposeAll(temporaries, arguments);
                }
            }
            throw new BackendNotImplementedException(Name, plan.ArgumentTypes, trace);
        }
        finally
        {
            if (record is not null) record.Elapsed = Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>Frees what the dispatcher made for a call, once each, never an object the caller passed in.</summary>
    private static void DisposeAll(List<IDisposable> temporaries, object?[] arguments)
    {
        List<Exception>? failures = null;
        foreach (var item in temporaries.Distinct(ReferenceEqualityComparer.Instance).Cast<IDisposable>())
        {
            if (arguments.Contains(item, ReferenceEqualityComparer.Instance)) continue;
            try { item.Dispose(); }
            catch (Exception ex) { (failures ??= []).Add(ex); }
        }
        if (failures is not null) throw new AggregateException("Freeing the arrays converted for the call failed.", failures);
    }

    private object?[] Convert(Candidate candidate, object?[] arguments, List<ConversionReport>? reports, ref List<IDisposable>? temporaries)
    {
        var converted = (object?[])arguments.Clone();
        // Each distinct input object is converted once per call, even if passed at several positions.
        var done = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < DispatchParameters.Count; i++)
        {
            var converter = candidate.Conversions[i];
            if (converter is null) continue;
            var position = DispatchParameters[i];
            var input = arguments[position]!;
            if (!done.TryGetValue(input, out var output))
            {
                output = RunConverter(candidate.Backend.Name, converter, input, ParameterNames[position], reports);
                done.Add(input, output);
                if (output is IDisposable disposable) (temporaries ??= []).Add(disposable);
            }
            converted[position] = output;
        }
        return converted;
    }

    private object ConvertBack(Candidate candidate, object result, Plan plan, List<ConversionReport>? reports)
    {
        var state = Registry.Current;
        var expected = plan.ExpectedKind;
        if (state.KindOf(result.GetType()) == expected) return result;
        var converter = candidate.Backend.Converters.FirstOrDefault(c => c.From.IsAssignableFrom(result.GetType()) && ReturnType.IsAssignableFrom(c.To) && state.KindOf(c.To) == expected)
            ?? throw new InvalidOperationException(
                $"Backend '{candidate.Backend.Name}' returned {result.GetType().Name} from {Name} in an interop scope, and has no converter from it back to {(expected is null ? "host" : $"'{expected}'")} arrays, the kind the caller passed.");
        return RunConverter(candidate.Backend.Name, converter, result, "result", reports);
    }

    private static object RunConverter(string backend, Converter converter, object input, string parameter, List<ConversionReport>? reports)
    {
        var started = Stopwatch.GetTimestamp();
        var output = converter.Convert(input) ?? throw new InvalidOperationException($"The converter from {converter.From.Name} to {converter.To.Name} returned null for '{parameter}'.");
        var bytes = converter.Bytes?.Invoke(input) ?? 0;
        DispatchMetrics.RecordConversion(backend, bytes);
        reports?.Add(new ConversionReport(parameter, input.GetType(), output.GetType(), bytes, Stopwatch.GetElapsedTime(started)));
        return output;
    }

    /// <summary>Checks that a result is of the kind of array the caller passed (host in, host out; device in, device out).</summary>
    internal object? CheckResult(Plan plan, object? result, string backend)
    {
        if (result is null) return null;
        var type = result.GetType();
        if (ReferenceEquals(type, plan.LastResultType)) return result;
        var kind = Registry.Current.KindOf(type);
        if (kind != plan.ExpectedKind)
            throw new InvalidOperationException(
                $"Backend '{backend}' returned {type.Name} ({KindName(kind)} array) from {Name}, but the call was given {KindName(plan.ExpectedKind)} arrays; " +
                "a backend must return the kind of array it was given.");
        plan.LastResultType = type;
        return result;

        static string KindName(string? kind) => kind is null ? "a host" : $"a '{kind}'";
    }

    /// <summary>Builds the registration for an implementation, rejecting one whose signature does not fit.</summary>
    private protected Registration Adapt(DispatchBackend backend, Delegate implementation, Func<DispatchCall, string?>? decline, Func<Delegate, Delegate> toTarget)
    {
        var invoke = DelegateInvoke.Of(implementation.GetType());
        var parameters = invoke.GetParameters();
        string Problem(string what) =>
            $"The implementation of {Name} by '{backend.Name}' does not fit the multimethod's signature ({Signature(ParameterTypes, ReturnType)}): {what}. Its signature is {Signature([.. parameters.Select(p => p.ParameterType)], invoke.ReturnType)}.";
        if (parameters.Length != ParameterTypes.Length)
            throw new ArgumentException(Problem($"it takes {parameters.Length} parameters, not {ParameterTypes.Length}"), "implementation");
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i].ParameterType;
            if (p.IsByRef) throw new ArgumentException(Problem($"parameter {i} is by reference"), "implementation");
            var dispatchable = DispatchParameters.Contains(i);
            if (dispatchable ? !ParameterTypes[i].IsAssignableFrom(p) || p.IsValueType : p != ParameterTypes[i])
                throw new ArgumentException(Problem(dispatchable
                    ? $"parameter {i} ('{ParameterNames[i]}') is {p.Name}, which is not a {ParameterTypes[i].Name}"
                    : $"parameter {i} ('{ParameterNames[i]}') is {p.Name}, not {ParameterTypes[i].Name}"), "implementation");
        }
        if (ReturnType == typeof(void) ? invoke.ReturnType != typeof(void) : !ReturnType.IsAssignableFrom(invoke.ReturnType) || invoke.ReturnType == typeof(void))
            throw new ArgumentException(Problem($"it returns {invoke.ReturnType.Name}, not a {ReturnType.Name}"), "implementation");
        return new Registration(this, backend, toTarget(implementation), [.. DispatchParameters.Select(i => parameters[i].ParameterType)], invoke.ReturnType, decline);
    }

    private static string Signature(Type[] parameters, Type returnType) =>
        $"({string.Join(", ", parameters.Select(p => p.Name))}) -> {returnType.Name}";
}

/// <summary>A multimethod with the signature <typeparamref name="TDelegate"/>.</summary>
/// <typeparam name="TDelegate">The signature.</typeparam>
public sealed class Multimethod<TDelegate> : Multimethod where TDelegate : Delegate
{
    // The per-signature code (the dispatching Invoke, the boxed slow path, the result check, the adapters) is C#
    // that Scoped.Dispatch's source generator wrote at build time: nothing is compiled at run time.
    private readonly MultimethodGlue<TDelegate> _glue;
    private TDelegate? _invoke;

    internal Multimethod(string name, TDelegate? defaultImplementation, int[] dispatchOn)
        : base(name, typeof(TDelegate), dispatchOn)
    {
        _glue = MultimethodGlue.Find<TDelegate>() ?? throw new InvalidOperationException(
            $"Multimethod '{name}': no dispatch glue was generated for the signature {typeof(TDelegate)}. Scoped.Dispatch's source generator " +
            "writes it for every Multimethod.Create<TDelegate> call with a concrete delegate type in a project that references Scoped.Dispatch; " +
            "declare the multimethod with its delegate type written out (not a generic type parameter).");
        DefaultImplementation = defaultImplementation;
        if (defaultImplementation is not null)
        {
            var backend = new DefaultBackend(this);
            backend.Implement(this, defaultImplementation);
            DefaultBackend = backend;
        }
    }

    /// <summary>The default implementation given to <see cref="Multimethod.Create{TDelegate}"/>, or null. A backend may wrap it
    /// (run it under different conditions) instead of reimplementing the function.</summary>
    public TDelegate? DefaultImplementation { get; }

    /// <summary>The dispatching delegate: call it as you would the function, e.g. <c>Gaussian.Invoke(image, 2.0)</c>.</summary>
    public TDelegate Invoke => Volatile.Read(ref _invoke) ?? Interlocked.CompareExchange(ref _invoke, _glue.Dispatcher(this, DispatchParameters), null) ?? _invoke!;

    /// <summary>The implementation that runs for this dispatchable argument in the current scope (the fast path behind
    /// <see cref="Invoke"/> for a multimethod with one dispatchable parameter): <c>mm.Target(image)(image, 2.0)</c>.</summary>
    /// <param name="a0">The dispatchable argument.</param>
    public TDelegate Target(object a0)
    {
        var node = ScopeNode.Current;
        var plan = node.CachedPlan(Id);
        if (plan is not null && ReferenceEquals(plan.Key.T0, a0?.GetType()) && plan.Version == Registry.Version)
        {
            plan.NoteCall();
            return Unsafe.As<TDelegate>(plan.Target);
        }
        return Unsafe.As<TDelegate>(Miss(node, [a0]).Target);
    }

    /// <summary>As <see cref="Target(object)"/>, for two dispatchable parameters.</summary>
    public TDelegate Target(object a0, object a1)
    {
        var node = ScopeNode.Current;
        var plan = node.CachedPlan(Id);
        if (plan is not null && ReferenceEquals(plan.Key.T0, a0?.GetType()) && ReferenceEquals(plan.Key.T1, a1?.GetType()) && plan.Version == Registry.Version)
        {
            plan.NoteCall();
            return Unsafe.As<TDelegate>(plan.Target);
        }
        return Unsafe.As<TDelegate>(Miss(node, [a0, a1]).Target);
    }

    /// <summary>As <see cref="Target(object)"/>, for three dispatchable parameters.</summary>
    public TDelegate Target(object a0, object a1, object a2) => Unsafe.As<TDelegate>(TargetSlow([a0, a1, a2]));

    /// <summary>As <see cref="Target(object)"/>, for four dispatchable parameters.</summary>
    public TDelegate Target(object a0, object a1, object a2, object a3) => Unsafe.As<TDelegate>(TargetSlow([a0, a1, a2, a3]));

    private Delegate TargetSlow(ReadOnlySpan<object?> args)
    {
        var node = ScopeNode.Current;
        var plan = node.CachedPlan(Id);
        if (plan is not null && plan.Version == Registry.Version)
        {
            var hit = true;
            for (var i = 0; i < args.Length && hit; i++) hit = ReferenceEquals(plan.Key[i], args[i]?.GetType());
            if (hit)
            {
                plan.NoteCall();
                return plan.Target;
            }
        }
        return Miss(node, args).Target;
    }

    /// <summary>An implementation of this signature that runs <paramref name="inner"/> while what <paramref name="enter"/>
    /// opens is open (say, a scheduler scope), closing it on every path: how a backend wraps the default implementation
    /// instead of reimplementing the function.</summary>
    /// <param name="inner">The implementation to run, e.g. <see cref="DefaultImplementation"/>.</param>
    /// <param name="enter">Called before each call; its result is disposed after the call.</param>
    public TDelegate Around(TDelegate inner, Func<IDisposable?> enter)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(enter);
        return _glue.Around(inner, enter);
    }

    /// <inheritdoc/>
    public override Delegate AroundDefault(Func<IDisposable?> enter) =>
        Around(DefaultImplementation ?? throw new InvalidOperationException($"{Name} has no default implementation to wrap."), enter);

    /// <summary>The implementation that runs for these arguments in the current scope, for a multimethod with any
    /// number of dispatchable parameters (the generated Invoke's general path; it allocates, the Target overloads do not).</summary>
    /// <param name="arguments">Every argument of the call, in order.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TDelegate TargetForArguments(object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var dispatch = new object?[DispatchParameters.Count];
        for (var i = 0; i < dispatch.Length; i++) dispatch[i] = arguments[DispatchParameters[i]];
        return Unsafe.As<TDelegate>(TargetSlow(dispatch));
    }

    internal override Registration CreateRegistration(DispatchBackend backend, Delegate implementation, Func<DispatchCall, string?>? decline) =>
        Adapt(backend, implementation, decline, impl => MultimethodGlue.Adapt(_glue, impl));

    internal override object? InvokeBoxed(Delegate target, object?[] arguments) => _glue.InvokeBoxed((TDelegate)target, arguments);

    internal override Delegate CreateSlowTarget(Plan plan) => _glue.FromBoxed(arguments => RunSlow(plan, arguments));

    internal override Delegate CreateCheckedTarget(Plan plan, Delegate implementation) =>
        ReturnsArray ? _glue.AfterResult((TDelegate)implementation, result => CheckResult(plan, result, plan.Selected)) : implementation;
}

/// <summary>The Invoke method of a delegate type, which gives its signature.</summary>
internal static class DelegateInvoke
{
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Trimming keeps the Invoke method of every delegate type it keeps: the runtime calls it.")]
    public static MethodInfo Of(Type delegateType) =>
        delegateType.GetMethod("Invoke") ?? throw new ArgumentException($"{delegateType} is not a delegate type.", nameof(delegateType));
}
