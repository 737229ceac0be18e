using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Scoped.Dispatch.Generators;

/// <summary>A signature: the delegate's name, its parameter and return types, as C# the glue can write.</summary>
internal sealed record Signature(string Delegate, string Return, string Parameters, string ReferenceParameters)
{
    public string[] ParameterTypes => Parameters.Length == 0 ? [] : Parameters.Split('\n');
    public bool IsVoid => Return == "void";
    public bool IsReference(int i) => ReferenceParameters[i] == '1';
}

/// <summary>Writes one signature's glue class (shared by the generators that find signatures: Create calls, and
/// Scoped.Image's function declarations).</summary>
internal static class GlueWriter
{
    public static string Arguments(int n) => string.Join(", ", Enumerable.Range(0, n).Select(i => $"a{i}"));

    public static void WriteGlue(StringBuilder s, int index, Signature sig, SortedSet<string> dispatchLists)
    {
        var types = sig.ParameterTypes;
        var n = types.Length;
        var a = Arguments(n);
        var d = sig.Delegate;
        var r = sig.Return;
        s.AppendLine();
        s.AppendLine($"file sealed class Glue{index} : global::Scoped.Dispatch.MultimethodGlue<{d}>");
        s.AppendLine("{");
        s.AppendLine($"    public override {d} Dispatcher(global::Scoped.Dispatch.Multimethod<{d}> m, global::System.Collections.Generic.IReadOnlyList<int> on)");
        s.AppendLine("    {");
        // One dispatchable parameter: a lambda per position it may be at, each calling the allocation-free Target.
        if (Enumerable.Range(0, n).Any(sig.IsReference))
        {
            s.AppendLine("        if (on.Count == 1)");
            s.AppendLine("            switch (on[0])");
            s.AppendLine("            {");
            for (var i = 0; i < n; i++)
                if (sig.IsReference(i)) s.AppendLine($"                case {i}: return ({a}) => m.Target(a{i})({a});");
            s.AppendLine("            }");
        }
        // Several: the positions the declarations gave as constants, then any others through the general path.
        foreach (var list in dispatchLists)
        {
            var positions = list.Split(',').Select(int.Parse).ToArray();
            if (positions.Length > 4 || positions.Any(p => p >= n || !sig.IsReference(p))) continue;
            s.AppendLine($"        if (Is(on, {list})) return ({a}) => m.Target({string.Join(", ", positions.Select(p => $"a{p}"))})({a});");
        }
        s.AppendLine($"        return ({a}) => m.TargetForArguments(new object[] {{ {a} }})({a});");
        s.AppendLine("    }");

        var boxed = $"new object[] {{ {a} }}";
        s.AppendLine(sig.IsVoid
            ? $"    public override {d} FromBoxed(global::System.Func<object[], object> run) => ({a}) => {{ run({boxed}); }};"
            : $"    public override {d} FromBoxed(global::System.Func<object[], object> run) => ({a}) => ({r})run({boxed});");

        var unboxed = string.Join(", ", Enumerable.Range(0, n).Select(i => $"({types[i]})args[{i}]"));
        s.AppendLine(sig.IsVoid
            ? $"    public override object InvokeBoxed({d} target, object[] args) {{ target({unboxed}); return null; }}"
            : $"    public override object InvokeBoxed({d} target, object[] args) => target({unboxed});");

        s.AppendLine(sig.IsVoid
            ? $"    public override {d} Around({d} inner, global::System.Func<global::System.IDisposable> enter) => ({a}) => {{ using (enter()) inner({a}); }};"
            : $"    public override {d} Around({d} inner, global::System.Func<global::System.IDisposable> enter) => ({a}) => {{ using (enter()) return inner({a}); }};");

        s.AppendLine(sig.IsVoid
            ? $"    public override {d} AfterResult({d} inner, global::System.Func<object, object> after) => ({a}) => {{ inner({a}); after(null); }};"
            : $"    public override {d} AfterResult({d} inner, global::System.Func<object, object> after) => ({a}) => ({r})after(inner({a}));");
        s.AppendLine("}");
    }
}
