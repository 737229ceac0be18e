using BenchmarkDotNet.Running;

// dotnet run -c Release --project Scoped.Benchmarks -- --filter '*Dispatch*'
// dotnet Scoped.Benchmarks.dll gpu [--sizes 4096,8192] [--out FILE]   (CUDA-event timings on a GPU; see tools/gpu/check.sh)
if (args.Length > 0 && args[0] == "gpu") return Scoped.Benchmarks.Gpu.GpuBenchmark.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
