// dotnet Scoped.Gpu.Benchmarks.dll [--sizes 4096,8192] [--batches 15] [--per-batch 10] [--out FILE]
// CUDA-event timings of the gpu backend on device-resident images; tools/gpu/check.sh runs it next to CuPy's.
return Scoped.Gpu.Benchmarks.GpuBenchmark.Run(args);
