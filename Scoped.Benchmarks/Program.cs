using BenchmarkDotNet.Running;

// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*Dispatch*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
