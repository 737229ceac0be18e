using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Scoped.Dispatch.Generators;

/// <summary>
/// Writes, for every delegate type a project declares a multimethod with (<c>Multimethod.Create&lt;TDelegate&gt;</c>),
/// the glue Scoped.Dispatch needs to call through that signature without compiling anything at run time: the
/// dispatching Invoke, the boxed slow path, the result check and the scope wrapper. For every implementation
/// registered with a narrower delegate type (<c>Implement(mm, (GpuArray a, double s) =&gt; ...)</c>) it writes the adapter
/// that casts the arguments. Everything is registered from a module initializer, before any code of the assembly runs.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DispatchGlueGenerator : IIncrementalGenerator
{
    private const string MultimethodType = "Scoped.Dispatch.Multimethod";
    private const string GenericMultimethodType = "Scoped.Dispatch.Multimethod<TDelegate>";

    private static readonly DiagnosticDescriptor Inaccessible = new(
        "SCOPED001", "Dispatch glue cannot be generated",
        "The multimethod signature '{0}' uses a type the generated glue cannot name ({1}); make it internal or public",
        "Scoped.Dispatch", DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var glue = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "Create" } } }
                                    or InvocationExpressionSyntax { Expression: GenericNameSyntax { Identifier.ValueText: "Create" } },
                static (ctx, ct) => ReadCreate(ctx, ct))
            .Where(static g => g is not null)
            .Collect();
        var adapters = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: >= 2 },
                static (ctx, ct) => ReadImplement(ctx, ct))
            .Where(static a => a is not null)
            .Collect();
        var all = glue.Combine(adapters).Combine(context.CompilationProvider.Select(static (c, _) => c.AssemblyName ?? "Assembly"));
        context.RegisterSourceOutput(all, static (spc, input) => Emit(spc, input.Left.Left!, input.Left.Right!, input.Right));
    }

    /// <summary>A Create call: its signature, the dispatch positions when they are constants ("0,1"), or a reason
    /// the signature cannot be named.</summary>
    private sealed record GlueRequest(Signature Signature, string DispatchOn, string? Problem);

    /// <summary>An implementation of <see cref="Target"/>'s signature registered with the delegate type <see cref="Implementation"/>.</summary>
    private sealed record AdapterRequest(Signature Target, Signature Implementation);

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static Signature? Describe(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } named) return null;
        return new Signature(
            named.ToDisplayString(TypeFormat),
            invoke.ReturnsVoid ? "void" : invoke.ReturnType.ToDisplayString(TypeFormat),
            string.Join("\n", invoke.Parameters.Select(p => p.Type.ToDisplayString(TypeFormat))),
            new string([.. invoke.Parameters.Select(p => p.Type.IsReferenceType && p.RefKind == RefKind.None ? '1' : '0')]));
    }

    /// <summary>The first type in the signature that code outside its declaring type cannot name, or null.</summary>
    private static string? Unnameable(ITypeSymbol type, Compilation compilation)
    {
        if (type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke } && type.TypeKind == TypeKind.Delegate)
        {
            if (!type.CanBeReferencedByName || !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly)) return type.ToDisplayString();
            foreach (var p in invoke.Parameters.Select(p => p.Type).Append(invoke.ReturnType))
                if (Unnameable(p, compilation) is { } inner) return inner;
            return null;
        }
        return type switch
        {
            IArrayTypeSymbol array => Unnameable(array.ElementType, compilation),
            INamedTypeSymbol named when !compilation.IsSymbolAccessibleWithin(named, compilation.Assembly) => named.ToDisplayString(),
            INamedTypeSymbol named => named.TypeArguments.Select(t => Unnameable(t, compilation)).FirstOrDefault(t => t is not null),
            ITypeParameterSymbol p => p.Name,
            _ => null,
        };
    }

    private static GlueRequest? ReadCreate(GeneratorSyntaxContext context, CancellationToken cancel)
    {
        if (context.SemanticModel.GetOperation(context.Node, cancel) is not IInvocationOperation call) return null;
        var method = call.TargetMethod;
        if (method.Name != "Create" || method.TypeArguments.Length != 1 || method.ContainingType.ToDisplayString() != MultimethodType) return null;
        var type = method.TypeArguments[0];
        if (type is ITypeParameterSymbol || Describe(type) is not { } signature) return null;
        var dispatchOn = "";
        var positions = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "dispatchOn")?.Value;
        if (positions is IArrayCreationOperation { Initializer: { } init } && init.ElementValues.All(v => v.ConstantValue.HasValue))
            dispatchOn = string.Join(",", init.ElementValues.Select(v => v.ConstantValue.Value));
        return new GlueRequest(signature, dispatchOn, Unnameable(type, context.SemanticModel.Compilation));
    }

    private static AdapterRequest? ReadImplement(GeneratorSyntaxContext context, CancellationToken cancel)
    {
        if (context.SemanticModel.GetOperation(context.Node, cancel) is not IInvocationOperation call) return null;
        ITypeSymbol? target = null, implementation = null;
        foreach (var argument in call.Arguments)
        {
            // The multimethod is usually passed as the base class Multimethod: look through the conversion.
            var value = argument.Value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : argument.Value;
            if (value.Type is INamedTypeSymbol { IsGenericType: true } mm && mm.OriginalDefinition.ToDisplayString() == GenericMultimethodType)
                target = mm.TypeArguments[0];
            else if (argument.Parameter?.Type.ToDisplayString() == "System.Delegate" && argument.Value is IConversionOperation { Operand.Type: { } operand })
                implementation = operand;
        }
        if (target is null || implementation is null || target is ITypeParameterSymbol || SymbolEqualityComparer.Default.Equals(target, implementation)) return null;
        var compilation = context.SemanticModel.Compilation;
        if (Unnameable(target, compilation) is not null || Unnameable(implementation, compilation) is not null) return null;
        if (Describe(target) is not { } t || Describe(implementation) is not { } i) return null;
        // Only shapes the registration can accept: same arity, and both return a value or neither.
        if (t.ParameterTypes.Length != i.ParameterTypes.Length || t.IsVoid != i.IsVoid) return null;
        return new AdapterRequest(t, i);
    }

    private static void Emit(SourceProductionContext context, ImmutableArray<GlueRequest?> requests, ImmutableArray<AdapterRequest?> adapters, string assembly)
    {
        var glue = new List<(Signature Signature, SortedSet<string> DispatchLists)>();
        foreach (var group in requests.GroupBy(r => r!.Signature))
        {
            var problem = group.Select(r => r!.Problem).FirstOrDefault(p => p is not null);
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Inaccessible, Location.None, group.Key.Delegate, problem));
                continue;
            }
            glue.Add((group.Key, new SortedSet<string>(group.Select(r => r!.DispatchOn).Where(d => d.Contains(',')))));
        }
        var adapt = adapters.Distinct().Select(a => a!).ToList();
        if (glue.Count == 0 && adapt.Count == 0) return;

        var s = new StringBuilder();
        s.AppendLine("// <auto-generated>Scoped.Dispatch.Generators: dispatch glue for this assembly's multimethod signatures.</auto-generated>");
        s.AppendLine("#nullable disable");
        s.AppendLine("#pragma warning disable CS1591, CA2255");
        s.AppendLine("namespace Scoped.Dispatch.Generated;");
        s.AppendLine();
        var className = "DispatchGlue_" + new string([.. assembly.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);
        s.AppendLine($"internal static class {className}");
        s.AppendLine("{");
        s.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        s.AppendLine("    internal static void Register()");
        s.AppendLine("    {");
        for (var g = 0; g < glue.Count; g++) s.AppendLine($"        global::Scoped.Dispatch.MultimethodGlue.Register(new Glue{g}());");
        foreach (var a in adapt) s.AppendLine($"        global::Scoped.Dispatch.MultimethodGlue.RegisterAdapter<{a.Target.Delegate}, {a.Implementation.Delegate}>({Adapter(a)});");
        s.AppendLine("    }");
        s.AppendLine("}");
        for (var g = 0; g < glue.Count; g++) GlueWriter.WriteGlue(s, g, glue[g].Signature, glue[g].DispatchLists);
        context.AddSource($"{className}.g.cs", s.ToString());
    }

    private static string Adapter(AdapterRequest a)
    {
        var p = a.Target.ParameterTypes;
        var q = a.Implementation.ParameterTypes;
        var args = string.Join(", ", Enumerable.Range(0, p.Length).Select(i => p[i] == q[i] ? $"a{i}" : $"({q[i]})(object)a{i}"));
        var call = $"d({args})";
        if (!a.Target.IsVoid && a.Target.Return != a.Implementation.Return) call = $"({a.Target.Return})(object){call}";
        return $"d => ({GlueWriter.Arguments(p.Length)}) => {call}";
    }
}
