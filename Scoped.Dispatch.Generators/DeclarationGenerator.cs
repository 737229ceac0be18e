using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Scoped.Dispatch.Generators;

/// <summary>
/// Turns Scoped.Image's function declarations into everything that follows from them. A declaration is the default
/// implementation marked <c>[Function("domain:name", kind, ...)]</c> (a static method <c>XCpu</c> of a module class);
/// from it this writes the delegate type backends implement (its parameters are the method's), the multimethod
/// <c>Methods.X</c> dispatching on every non-nullable <c>NDArray</c> parameter, that signature's dispatch glue, and the
/// table <c>Scoped.Image.Declarations</c> with the constant lists backend manifests are written from.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DeclarationGenerator : IIncrementalGenerator
{
    private const string AttributeName = "Scoped.Image.FunctionAttribute";
    private const string ArrayType = "Scoped.Image.NDArray";

    private static readonly DiagnosticDescriptor BadDeclaration = new(
        "SCOPED002", "Malformed function declaration",
        "The function declaration '{0}' {1}",
        "Scoped.Image", DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    // Parameter types as the public delegate declares them, nullable annotations kept.
    private static readonly SymbolDisplayFormat AnnotatedFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>One declared function: where it lives, its facts, its delegate's name and parameters, and what is wrong with it.</summary>
    private sealed record Declaration(string Namespace, string Module, string Field, string Default, string Name, int Kind, bool RunsInBands,
        string? NotInBandsWhen, string? Reach, int MinRank, int MaxRank, string Delegate, string DelegateDeclaration, Signature? Glue,
        string DispatchOn, string? Problem)
    {
        public string FieldPath => $"global::{Namespace}.{Module}.Methods.{Field}";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var declarations = context.SyntaxProvider.ForAttributeWithMetadataName(AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => Read(ctx))
            .Collect();
        var all = declarations.Combine(context.CompilationProvider.Select(static (c, _) => c.AssemblyName ?? "Assembly"));
        context.RegisterSourceOutput(all, static (spc, input) => Emit(spc, input.Left, input.Right));
    }

    private static Declaration Read(GeneratorAttributeSyntaxContext context)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var module = method.ContainingType;
        var path = module.ToDisplayString() + "." + method.Name;
        var attribute = context.Attributes[0];
        var args = attribute.ConstructorArguments;
        var name = args.Length == 2 ? args[0].Value as string : null;
        var kind = args.Length == 2 && args[1].Value is int k ? k : 0;
        T? Named<T>(string key) => attribute.NamedArguments.FirstOrDefault(a => a.Key == key).Value.Value is T v ? v : default;
        var bands = Named<bool>("RunsInBands");
        var unless = Named<string>("NotInBandsWhen");
        var reach = Named<string>("Reach");
        var minRank = attribute.NamedArguments.Any(a => a.Key == "MinRank") ? Named<int>("MinRank") : 2;
        var maxRank = attribute.NamedArguments.Any(a => a.Key == "MaxRank") ? Named<int>("MaxRank") : 2;
        var field = method.Name.EndsWith("Cpu", System.StringComparison.Ordinal) ? method.Name.Substring(0, method.Name.Length - 3) : method.Name;
        var delegateName = Named<string>("Signature") ?? field + "Function";
        var ns = module.ContainingNamespace.ToDisplayString();

        Declaration Bad(string problem) => new(ns, module.Name, field, method.Name, name ?? "", kind, bands, null, null, minRank, maxRank,
            delegateName, "", null, "", problem);

        if (name is null || name.IndexOf(':') <= 0) return Bad("must name its function as a constant \"domain:function\"");
        if (!method.IsStatic || method.IsGenericMethod || method.ReturnsVoid) return Bad("must be a static, non-generic method that returns its result");
        if (!method.Name.EndsWith("Cpu", System.StringComparison.Ordinal) || field.Length == 0) return Bad("must be named after its multimethod with the suffix Cpu (the default implementation)");
        if (module.ContainingType is not null || !module.IsStatic || !IsPartial(module)) return Bad("must be declared in a top-level static partial class (its module)");
        if (method.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams)) return Bad("must take its parameters by value");
        if (minRank < 1 || maxRank < minRank) return Bad("must have 1 <= MinRank <= MaxRank");

        string? unlessPath = null, reachPath = null;
        if (unless is not null && (unlessPath = Beside(module, unless)) is null)
            return Bad($"names NotInBandsWhen = \"{unless}\", but no static method of that name takes a DispatchCall beside it");
        if (reach is not null && (reachPath = Beside(module, reach)) is null)
            return Bad($"names Reach = \"{reach}\", but no static method of that name takes a DispatchCall beside it");

        var positions = method.Parameters.Where(p => p.Type.ToDisplayString() == ArrayType && p.NullableAnnotation != NullableAnnotation.Annotated)
            .Select(p => p.Ordinal.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (positions.Length == 0) return Bad("must take a non-nullable NDArray to dispatch on");

        var parameters = string.Join(", ", method.Parameters.Select(p => $"{p.Type.ToDisplayString(AnnotatedFormat)} {Identifier(p.Name)}"));
        var declaration = $"public delegate {method.ReturnType.ToDisplayString(AnnotatedFormat)} {delegateName}({parameters});";
        var glue = new Signature(
            $"global::{ns}.{module.Name}.{delegateName}",
            method.ReturnType.ToDisplayString(TypeFormat),
            string.Join("\n", method.Parameters.Select(p => p.Type.ToDisplayString(TypeFormat))),
            new string([.. method.Parameters.Select(p => p.Type.IsReferenceType ? '1' : '0')]));
        return new Declaration(ns, module.Name, field, method.Name, name, kind, bands, unlessPath, reachPath, minRank, maxRank,
            delegateName, declaration, glue, string.Join(", ", positions), null);
    }

    private static bool IsPartial(INamedTypeSymbol type) => type.DeclaringSyntaxReferences.Any(r =>
        r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(m => m.ValueText == "partial"));

    private static string Identifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    /// <summary>The static one-parameter method <paramref name="method"/> in the module or its Methods class, fully qualified.</summary>
    private static string? Beside(INamedTypeSymbol module, string method)
    {
        foreach (var type in module.GetTypeMembers("Methods").Prepend(module))
            if (type.GetMembers(method).OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1))
                return type.ToDisplayString(TypeFormat) + "." + method;
        return null;
    }

    private static void Emit(SourceProductionContext context, ImmutableArray<Declaration> all, string assembly)
    {
        if (all.IsEmpty) return;
        var problems = all.Where(d => d.Problem is not null).ToList();
        // Functions sharing a delegate name must agree on its signature.
        foreach (var clash in all.Where(d => d.Problem is null).GroupBy(d => (d.Namespace, d.Module, d.Delegate)).Where(g => g.Select(d => d.DelegateDeclaration).Distinct().Count() > 1))
            problems.AddRange(clash.Skip(1).Select(d => d with { Problem = $"shares the signature name {d.Delegate} with {clash.First().Default}, but not its parameters" }));
        foreach (var bad in problems)
            context.ReportDiagnostic(Diagnostic.Create(BadDeclaration, Location.None, $"{bad.Module}.{bad.Default}", bad.Problem));
        var good = all.Where(d => d.Problem is null && !problems.Any(p => p.Default == d.Default && p.Module == d.Module)).ToList();

        foreach (var module in good.GroupBy(d => (d.Namespace, d.Module)))
            context.AddSource($"{module.Key.Namespace}.{module.Key.Module}.Functions.g.cs", WriteModule(module.Key.Namespace, module.Key.Module, module.ToList()));
        if (good.Count > 0) context.AddSource("FunctionGlue.g.cs", WriteGlue(good, assembly));
        context.AddSource("ScopedImageDeclarations.g.cs", WriteTable(good.OrderBy(d => d.Name, System.StringComparer.Ordinal).ToList()));
    }

    private static string WriteModule(string ns, string module, List<Declaration> functions)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated>Scoped.Dispatch.Generators: this module's multimethods and their signatures, from its [Function] declarations.</auto-generated>");
        s.AppendLine("#nullable enable");
        s.AppendLine($"namespace {ns};");
        s.AppendLine();
        s.AppendLine($"partial class {module}");
        s.AppendLine("{");
        foreach (var shared in functions.GroupBy(d => d.Delegate))
        {
            var names = string.Join(", ", shared.Select(d => $"<c>{d.Name}</c>"));
            s.AppendLine($"    /// <summary>The signature of {names}: what a backend implements (the default implementation's parameters).</summary>");
            s.AppendLine("    " + shared.First().DelegateDeclaration);
            s.AppendLine();
        }
        s.AppendLine("    /// <summary>The multimethods behind this module, for backends to implement.</summary>");
        s.AppendLine("    public static partial class Methods");
        s.AppendLine("    {");
        foreach (var d in functions)
        {
            s.AppendLine($"        /// <summary>The multimethod <c>{d.Name}</c>; its default implementation is <c>{module}.{d.Default}</c>.</summary>");
            s.AppendLine($"        public static readonly global::Scoped.Dispatch.Multimethod<{d.Delegate}> {d.Field} =");
            s.AppendLine($"            global::Scoped.Dispatch.Multimethod.Create<{d.Delegate}>({Literal(d.Name)}, {d.Default}, {d.DispatchOn});");
        }
        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    private static string WriteGlue(List<Declaration> functions, string assembly)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated>Scoped.Dispatch.Generators: dispatch glue for the declared functions' signatures.</auto-generated>");
        s.AppendLine("#nullable disable");
        s.AppendLine("#pragma warning disable CS1591, CA2255");
        s.AppendLine("namespace Scoped.Dispatch.Generated;");
        s.AppendLine();
        var signatures = functions.GroupBy(d => d.Glue!).Select(g => (g.Key, Lists: new SortedSet<string>(g.Select(d => d.DispatchOn.Replace(" ", "")).Where(p => p.Contains(','))))).ToList();
        var className = "FunctionGlue_" + new string([.. assembly.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);
        s.AppendLine($"internal static class {className}");
        s.AppendLine("{");
        s.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        s.AppendLine("    internal static void Register()");
        s.AppendLine("    {");
        for (var g = 0; g < signatures.Count; g++) s.AppendLine($"        global::Scoped.Dispatch.MultimethodGlue.Register(new Glue{g}());");
        s.AppendLine("    }");
        s.AppendLine("}");
        for (var g = 0; g < signatures.Count; g++) GlueWriter.WriteGlue(s, g, signatures[g].Key, signatures[g].Lists);
        return s.ToString();
    }

    private static string WriteTable(List<Declaration> good)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated>Scoped.Dispatch.Generators: Scoped.Image's function declarations as a table.</auto-generated>");
        s.AppendLine("#nullable enable");
        s.AppendLine("namespace Scoped.Image;");
        s.AppendLine();
        s.AppendLine("public static partial class Declarations");
        s.AppendLine("{");
        s.AppendLine("    /// <summary>Every declared function, in name order.</summary>");
        s.AppendLine("    public static global::System.Collections.Generic.IReadOnlyList<global::Scoped.Image.FunctionDeclaration> All { get; } = new global::Scoped.Image.FunctionDeclaration[]");
        s.AppendLine("    {");
        foreach (var d in good)
            s.AppendLine($"        new({d.FieldPath}, (global::Scoped.Image.FunctionKind){d.Kind.ToString(CultureInfo.InvariantCulture)}, {(d.RunsInBands ? "true" : "false")}, " +
                         $"{d.NotInBandsWhen ?? "null"}, {d.Reach ?? "null"}, {d.MinRank.ToString(CultureInfo.InvariantCulture)}, {d.MaxRank.ToString(CultureInfo.InvariantCulture)}),");
        s.AppendLine("    };");
        s.AppendLine();
        s.AppendLine("    /// <summary>The functions whose default implementation runs in bands, \"domain:function\" separated by ';' (backend manifests are written from it).</summary>");
        s.AppendLine($"    public const string RunInBands = \"{string.Join(";", good.Where(d => d.RunsInBands).Select(d => d.Name))}\";");
        s.AppendLine();
        s.AppendLine("    /// <summary>Every declared function, \"domain:function\" separated by ';'.</summary>");
        s.AppendLine($"    public const string Names = \"{string.Join(";", good.Select(d => d.Name))}\";");
        s.AppendLine("}");
        return s.ToString();
    }

    private static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}

/// <summary>
/// Writes an assembly's <c>[assembly: ScopedBackend(...)]</c> from its <c>[assembly: ScopedBackendManifest(...)]</c>,
/// with the function list taken from the constant the manifest names (a referenced library's declarations), so that the
/// list discovery reads is produced, never kept by hand.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BackendManifestGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor BadManifest = new(
        "SCOPED003", "Malformed backend manifest",
        "[assembly: ScopedBackendManifest]: {0}",
        "Scoped.Dispatch", DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var manifests = context.CompilationProvider.Select(static (compilation, _) => Read(compilation));
        context.RegisterSourceOutput(manifests, static (spc, found) =>
        {
            foreach (var (source, problem) in found)
            {
                if (problem is not null) spc.ReportDiagnostic(Diagnostic.Create(BadManifest, Location.None, problem));
                else spc.AddSource($"ScopedBackendManifest{found.IndexOf((source, problem))}.g.cs", source!);
            }
        });
    }

    private static ImmutableArray<(string? Source, string? Problem)> Read(Compilation compilation)
    {
        var result = ImmutableArray.CreateBuilder<(string?, string?)>();
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != "Scoped.Dispatch.ScopedBackendManifestAttribute") continue;
            var args = attribute.ConstructorArguments;
            if (args.Length != 5 || args[0].Value is not string name || args[1].Value is not INamedTypeSymbol backend || args[2].Value is not string domain
                || args[3].Value is not INamedTypeSymbol from || args[4].Value is not string listName)
            {
                result.Add((null, "its arguments must be constants: name, typeof(backend), domain, typeof(list holder), list name"));
                continue;
            }
            if (from.GetMembers(listName).OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst && f.ConstantValue is string) is not { } list)
            {
                result.Add((null, $"{from.ToDisplayString()} has no string constant {listName}"));
                continue;
            }
            var functions = ((string)list.ConstantValue!).Split(new[] { ';' }, System.StringSplitOptions.RemoveEmptyEntries);
            var description = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string;
            var s = new StringBuilder();
            s.AppendLine("// <auto-generated>Scoped.Dispatch.Generators: this backend's manifest, written from [assembly: ScopedBackendManifest].</auto-generated>");
            s.Append($"[assembly: global::Scoped.Dispatch.ScopedBackend({Literal(name)}, typeof({backend.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}), {Literal(domain)}");
            if (description is not null) s.Append($", Description = {Literal(description)}");
            s.AppendLine(", Functions = new string[]");
            s.AppendLine("{");
            foreach (var f in functions) s.AppendLine($"    {Literal(f)},");
            s.AppendLine("})]");
            result.Add((s.ToString(), null));
        }
        return result.ToImmutable();
    }

    private static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
