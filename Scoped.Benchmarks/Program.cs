using BenchmarkDotNet.Running;
using Scoped.Benchmarks;

// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*Dispatch*'
// dotnet Scoped.Benchmarks.dll cold gaussian    (one fresh-process measurement; see ColdStart and tools/bench/cold.sh)
if (args.Length > 0 && args[0] == "cold") return ColdStart.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
