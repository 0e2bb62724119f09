using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short runs: one process, few iterations. Pass BenchmarkDotNet arguments through, e.g. --filter *Chain*.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200)))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(KafkaPipeline.Benchmarks.MiddlewareChainBenchmarks).Assembly)
    .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
