using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Scoped.Dispatch.Generators;

namespace Scoped.Tests.Generators;

/// <summary>Scoped's source generators run on small programs: what they write, and the errors they report.</summary>
[TestClass]
public sealed class GeneratorTests
{
    [TestMethod]
    public void GlueIsWrittenForEachSignatureAndTheProgramCompiles()
    {
        var (output, diagnostics) = Run("""
            using System;
            using Scoped.Dispatch;
            public sealed class Arr;
            public static class Lib
            {
                public static readonly Multimethod<Func<object, double, string>> Op = Multimethod.Create<Func<object, double, string>>("demo.lib:op", (a, s) => "x");
                public static void Register(DispatchBackend b) => b.Implement(Op, (Arr a, double s) => "arr");
            }
            """, new DispatchGlueGenerator());
        Assert.AreEqual(0, diagnostics.Length, string.Join("\n", diagnostics));
        var source = Generated(output);
        StringAssert.Contains(source, "MultimethodGlue.Register(new Glue0())");
        StringAssert.Contains(source, "RegisterAdapter<global::System.Func<object, double, string>, global::System.Func<global::Arr, double, string>>");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.AreEqual(0, errors.Length, "the generated code compiles: " + string.Join("\n", errors));
    }

    [TestMethod]
    public void ASignatureTheGlueCannotNameIsABuildError()
    {
        var (_, diagnostics) = Run("""
            using Scoped.Dispatch;
            public static class Lib
            {
                private delegate string Secret(object o);
                public static readonly object Op = Multimethod.Create<Secret>("demo.lib:op");
            }
            """, new DispatchGlueGenerator());
        var error = diagnostics.Single();
        Assert.AreEqual("SCOPED001", error.Id);
        Assert.AreEqual(DiagnosticSeverity.Error, error.Severity);
        StringAssert.Contains(error.GetMessage(), "Secret");
    }

    [TestMethod]
    public void ADeclarationBecomesItsDelegateMultimethodGlueAndTableRow()
    {
        var (output, diagnostics) = Run("""
            using Scoped.Dispatch;
            using Scoped.Image;
            namespace Demo;
            public static partial class Mod
            {
                [Function("scoped.image.demo:a", FunctionKind.Pointwise, RunsInBands = true)]
                private static NDArray ACpu(NDArray image, NDArray? mask, double @double) => image;
                [Function("scoped.image.demo:pair", FunctionKind.Reduction, Signature = "PairFunction")]
                private static double PairCpu(NDArray first, NDArray second) => 0;
                public static NDArray A(NDArray image) => Methods.A.Invoke(image, null, 1);
            }
            """, new DeclarationGenerator());
        Assert.AreEqual(0, diagnostics.Length, string.Join("\n", diagnostics));
        var source = Generated(output);
        StringAssert.Contains(source, "public delegate global::Scoped.Image.NDArray AFunction(global::Scoped.Image.NDArray image, global::Scoped.Image.NDArray? mask, double @double);");
        StringAssert.Contains(source, "public delegate double PairFunction(");
        // Dispatched on every non-nullable NDArray: the mask is not, both metrics inputs are.
        StringAssert.Contains(source, "Multimethod.Create<AFunction>(\"scoped.image.demo:a\", ACpu, 0);");
        StringAssert.Contains(source, "Multimethod.Create<PairFunction>(\"scoped.image.demo:pair\", PairCpu, 0, 1);");
        StringAssert.Contains(source, "MultimethodGlue.Register(new Glue1())");
        StringAssert.Contains(source, "public const string RunInBands = \"scoped.image.demo:a\";");
        StringAssert.Contains(source, "public const string Names = \"scoped.image.demo:a;scoped.image.demo:pair\";");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.AreEqual(0, errors.Length, "the generated code compiles: " + string.Join("\n", errors));
    }

    [TestMethod]
    public void MalformedDeclarationsAreErrorsAndLeftOut()
    {
        var (output, diagnostics) = Run("""
            using Scoped.Dispatch;
            using Scoped.Image;
            namespace Demo;
            public static partial class Mod
            {
                [Function("scoped.image.demo:b", FunctionKind.Neighbourhood, Reach = "Missing")]
                private static NDArray BCpu(NDArray image) => image;
                [Function("scoped.image.demo:c", FunctionKind.Pointwise)]
                private static NDArray Convert(NDArray image) => image;
                [Function("scoped.image.demo:d", FunctionKind.Pointwise)]
                private static NDArray DCpu(NDArray? image) => image!;
                [Function("scoped.image.demo:e", FunctionKind.Pointwise, Signature = "Shared")]
                private static NDArray ECpu(NDArray image) => image;
                [Function("scoped.image.demo:f", FunctionKind.Pointwise, Signature = "Shared")]
                private static NDArray FCpu(NDArray image, int n) => image;
            }
            public static class NotPartial
            {
                [Function("scoped.image.demo:g", FunctionKind.Pointwise)]
                private static NDArray GCpu(NDArray image) => image;
            }
            """, new DeclarationGenerator());
        var messages = diagnostics.Select(d => d.Id + " " + d.GetMessage()).ToArray();
        Assert.AreEqual(5, messages.Length, string.Join("\n", messages));
        Assert.IsTrue(messages.All(m => m.StartsWith("SCOPED002", StringComparison.Ordinal)));
        StringAssert.Contains(messages[0], "Missing");
        Assert.IsTrue(messages.Any(m => m.Contains("Mod.Convert") && m.Contains("suffix Cpu")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("Mod.DCpu") && m.Contains("non-nullable NDArray")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("Mod.FCpu") && m.Contains("Shared")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("NotPartial.GCpu") && m.Contains("partial")), string.Join("\n", messages));
        var source = Generated(output);
        StringAssert.Contains(source, "Names = \"scoped.image.demo:e\"");
    }

    [TestMethod]
    public void AManifestWritesTheBackendAttributeFromTheList()
    {
        var (output, diagnostics) = Run("""
            using Scoped.Dispatch;
            [assembly: ScopedBackendManifest("pool", typeof(Pool), "demo", typeof(Lists), nameof(Lists.All), Description = "a \"pool\"")]
            [assembly: ScopedBackendManifest("bad", typeof(Pool), "demo", typeof(Lists), "Nothing")]
            public sealed class Pool() : DispatchBackend("pool", "demo");
            public static class Lists { public const string All = "demo:a;demo:b"; }
            """, new BackendManifestGenerator());
        var error = diagnostics.Single();
        Assert.AreEqual("SCOPED003", error.Id);
        StringAssert.Contains(error.GetMessage(), "Nothing");
        var source = Generated(output);
        StringAssert.Contains(source, "global::Scoped.Dispatch.ScopedBackend(\"pool\", typeof(global::Pool), \"demo\", Description = \"a \\\"pool\\\"\"");
        StringAssert.Contains(source, "\"demo:a\",");
        StringAssert.Contains(source, "\"demo:b\",");
        var attribute = output.Assembly.GetAttributes().Single(a => a.AttributeClass?.Name == "ScopedBackendAttribute");
        var functions = attribute.NamedArguments.Single(a => a.Key == "Functions").Value.Values.Select(v => (string)v.Value!).ToArray();
        CollectionAssert.AreEqual(new[] { "demo:a", "demo:b" }, functions);
    }

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string source, IIncrementalGenerator generator)
    {
        var references = new[] { typeof(object), typeof(Scoped.Dispatch.Multimethod), typeof(Scoped.Image.NDArray), typeof(Enumerable) }
            .Select(t => t.Assembly.Location)
            .Concat(Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("Demo", [CSharpSyntaxTree.ParseText(source, parse)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (output, diagnostics);
    }

    private static string Generated(Compilation output) =>
        string.Join("\n", output.SyntaxTrees.Skip(1).Select(t => t.ToString()));
}
