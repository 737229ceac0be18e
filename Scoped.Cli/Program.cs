namespace Scoped.Cli;

/// <summary>The entry point of the <c>scoped</c> tool.</summary>
public static class Program
{
    /// <summary>Runs <see cref="ScopedCli.Run"/> on the console.</summary>
    /// <param name="args">The command line.</param>
    public static int Main(string[] args) => new ScopedCli { ShowProgress = !Console.IsErrorRedirected }.Run(args, Console.Out, Console.Error);
}
