using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Reflection;

namespace Scoped.Dispatch;

/// <summary>
/// The code a multimethod needs for its own signature: calls through <typeparamref name="TDelegate"/> that a generic
/// dispatcher cannot write without compiling at run time. Scoped.Dispatch's source generator writes one per signature
/// at build time (for every <c>Multimethod.Create&lt;TDelegate&gt;</c> in a project) and registers it before the
/// assembly's own code runs; nothing here is meant to be written by hand.
/// </summary>
/// <typeparam name="TDelegate">The signature.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MultimethodGlue<TDelegate> where TDelegate : Delegate
{
    /// <summary>(p...) => method.Target(dispatchable p...)(p...).</summary>
    /// <param name="method">The multimethod.</param>
    /// <param name="dispatchOn">Its dispatchable parameters' positions.</param>
    public abstract TDelegate Dispatcher(Multimethod<TDelegate> method, IReadOnlyList<int> dispatchOn);

    /// <summary>(p...) => (TResult)run(new object[] { p... }).</summary>
    /// <param name="run">Takes the boxed arguments and returns the boxed result.</param>
    public abstract TDelegate FromBoxed(Func<object?[], object?> run);

    /// <summary>target((T0)arguments[0], ...), boxed.</summary>
    /// <param name="target">The delegate to call.</param>
    /// <param name="arguments">One boxed argument per parameter.</param>
    public abstract object? InvokeBoxed(TDelegate target, object?[] arguments);

    /// <summary>(p...) => { using (enter()) return inner(p...); }.</summary>
    /// <param name="inner">The delegate to run.</param>
    /// <param name="enter">Opens what must be open while it runs.</param>
    public abstract TDelegate Around(TDelegate inner, Func<IDisposable?> enter);

    /// <summary>(p...) => (TResult)after(inner(p...)).</summary>
    /// <param name="inner">The delegate to run.</param>
    /// <param name="after">Sees (and may check or replace) the boxed result.</param>
    public abstract TDelegate AfterResult(TDelegate inner, Func<object?, object?> after);

    /// <summary>Whether <paramref name="dispatchOn"/> lists exactly <paramref name="positions"/>.</summary>
    /// <param name="dispatchOn">The dispatchable positions.</param>
    /// <param name="positions">The positions to compare with.</param>
    protected static bool Is(IReadOnlyList<int> dispatchOn, params int[] positions) => dispatchOn.SequenceEqual(positions);
}

/// <summary>Where the generated glue registers itself (from module initializers).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MultimethodGlue
{
    /// <summary>Registers the glue of one signature; the first registration of a signature wins (every one is equivalent).</summary>
    /// <typeparam name="TDelegate">The signature.</typeparam>
    /// <param name="glue">The generated glue.</param>
    public static void Register<TDelegate>(MultimethodGlue<TDelegate> glue) where TDelegate : Delegate
    {
        ArgumentNullException.ThrowIfNull(glue);
        Interlocked.CompareExchange(ref Slot<TDelegate>.Glue, glue, null);
    }

    /// <summary>Registers how an implementation of delegate type <typeparamref name="TImplementation"/> is called
    /// through <typeparamref name="TDelegate"/> (casting its narrower array parameters).</summary>
    /// <typeparam name="TDelegate">The multimethod's signature.</typeparam>
    /// <typeparam name="TImplementation">The implementation's delegate type.</typeparam>
    /// <param name="adapt">Wraps an implementation in the multimethod's signature.</param>
    public static void RegisterAdapter<TDelegate, TImplementation>(Func<TImplementation, TDelegate> adapt)
        where TDelegate : Delegate where TImplementation : Delegate
    {
        ArgumentNullException.ThrowIfNull(adapt);
        Slot<TDelegate>.Adapters.TryAdd(typeof(TImplementation), implementation => adapt((TImplementation)implementation));
    }

    internal static MultimethodGlue<TDelegate>? Find<TDelegate>() where TDelegate : Delegate => Volatile.Read(ref Slot<TDelegate>.Glue);

    /// <summary>The implementation called through <typeparamref name="TDelegate"/>: by its generated adapter, or, for a
    /// delegate type no generator saw (one built by reflection), by a late-bound call, which is slower but needs no
    /// code generation either.</summary>
    internal static TDelegate Adapt<TDelegate>(MultimethodGlue<TDelegate> glue, Delegate implementation) where TDelegate : Delegate
    {
        if (implementation is TDelegate exact) return exact;
        if (Slot<TDelegate>.Adapters.TryGetValue(implementation.GetType(), out var adapt)) return adapt(implementation);
        return glue.FromBoxed(arguments =>
        {
            try { return implementation.DynamicInvoke(arguments); }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        });
    }

    private static class Slot<TDelegate> where TDelegate : Delegate
    {
        public static MultimethodGlue<TDelegate>? Glue;
        public static readonly ConcurrentDictionary<Type, Func<Delegate, TDelegate>> Adapters = new();
    }
}
