using BenchmarkDotNet.Running;
using Scoped.Benchmarks;

// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*Dispatch*'
// dotnet Scoped.Benchmarks.dll cold gaussian    (one fresh-process measurement; see ColdStart and tools/bench/cold.sh)
// dotnet Scoped.Benchmarks.dll versus median_u8 512 2048   (parallel against default, size by size; see Versus)
if (args.Length > 0 && args[0] == "cold") return ColdStart.Run(args);
if (args.Length > 0 && args[0] == "versus") return Versus.Run(args);
if (args.Length > 0 && args[0] == "alloc") return Allocations.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
