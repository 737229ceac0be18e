namespace Scoped.Dispatch;

/// <summary>A call's multimethod and argument values, as shown to a backend that may decline it.</summary>
public readonly struct DispatchCall
{
    private readonly object?[] _arguments;

    internal DispatchCall(Multimethod method, object?[] arguments)
    {
        Method = method;
        _arguments = arguments;
    }

    /// <summary>The multimethod called.</summary>
    public Multimethod Method { get; }

    /// <summary>All arguments, in the multimethod's parameter order.</summary>
    public IReadOnlyList<object?> Arguments => _arguments;

    /// <summary>The argument at <paramref name="index"/>, typed.</summary>
    public T Argument<T>(int index) => (T)_arguments[index]!;

    /// <summary>The argument of the parameter named <paramref name="name"/> (as in the multimethod's delegate type).</summary>
    public T Argument<T>(string name)
    {
        var index = Array.IndexOf(Method.ParameterNames, name);
        if (index < 0) throw new ArgumentException($"{Method.Name} has no parameter '{MessageText.Escape(name)}'; its parameters are {string.Join(", ", Method.ParameterNames)}.", nameof(name));
        return Argument<T>(index);
    }
}
