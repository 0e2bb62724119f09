using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using KafkaPipeline.Benchmarks.Throughput;
using KafkaPipeline.Testing;

// Throughput of (a) a raw Confluent.Kafka loop and (b) the full pipeline on the same pre-produced records.
// Any mismatch between produced and consumed records ends the run with exit code 1 and no ratio line.
BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

try
{
    await (settings.Poison ? RunPoisonAsync(settings) : RunAsync(settings));
    return 0;
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"BENCHMARK FAILED: {ex.Message}");
    return 1;
}

static async Task RunAsync(BenchmarkSettings settings)
{
    var timeout = TimeSpan.FromMinutes(2);
    var invariant = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(invariant,
        $"KafkaPipeline throughput: {settings.Records:N0} JSON records of {settings.RecordBytes} B over {settings.Partitions} partitions, "
        + $"{settings.Runs} measured rounds (raw, hand-written, pipeline, pipeline-bytes-no-dedup) after one warm-up round."));
    Console.WriteLine(string.Create(invariant,
        $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {RuntimeInformation.OSDescription}; "
        + $"both consumers: {string.Join(", ", ClientSettings.Consumer.Select(s => $"{s.Key}={s.Value}"))}; load average {LoadAverage()}"));

    using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
    const string Topic = "bench-orders";
    cluster.CreateTopic(Topic, settings.Partitions);
    var produceStart = DateTime.UtcNow;
    var data = Dataset.Produce(cluster.BootstrapServers, Topic, settings);
    Console.WriteLine(string.Create(invariant,
        $"produced {data.Total:N0} records (acks=all) in {(DateTime.UtcNow - produceStart).TotalSeconds:F1} s; watermarks verified: "
        + $"partitions hold {data.PerPartition.Min():N0}-{data.PerPartition.Max():N0} records each from offset 0, nothing pruned"));

    PipelineVariant[] breakdown = settings.Breakdown ? [PipelineVariant.KeyOrdering] : [];
    var results = new Dictionary<string, List<RunResult>>(StringComparer.Ordinal);
    for (var round = 0; round <= settings.Runs; round++)
    {
        var label = round == 0 ? "warm-up" : $"run {round}";
        Report(RawLoop.Run(data, label, timeout), round);
        Report(HandWrittenLoop.Run(data, label, timeout), round);
        Report(await PipelineLoop.RunAsync(data, label, timeout), round);
        Report(await PipelineLoop.RunAsync(data, label, timeout, PipelineVariant.BytesNoDedup), round);
        foreach (var variant in breakdown)
        {
            Report(await PipelineLoop.RunAsync(data, label, timeout, variant), round);
        }
    }

    data.VerifyWatermarks();
    Console.WriteLine($"load average after the runs: {LoadAverage()} (other processes on the machine skew the figures)");
    foreach (var (kind, runs) in results)
    {
        Console.WriteLine(string.Create(invariant,
            $"median {kind + ":",-24} {Median(runs, r => r.RecordsPerSecond),9:N0} rec/s   consumer thread {Median(runs, r => r.ThreadMicrosecondsPerRecord),5:F2} us/record   process {Median(runs, r => r.ProcessMicrosecondsPerRecord),5:F2} us/record"));
    }

    var raw = Median(results["raw"], r => r.RecordsPerSecond);
    var rawCpu = Median(results["raw"], r => r.ThreadMicrosecondsPerRecord);
    var rawProcess = Median(results["raw"], r => r.ProcessMicrosecondsPerRecord);
    foreach (var kind in results.Keys.Where(k => k != "raw"))
    {
        // Consumer-thread CPU per record, raw / this: the ratio the throughput would show with the CPU to itself.
        // n/a when the pipeline's records ran on several threads (lanes); the process-CPU ratio then compares the whole cost.
        var cpu = Median(results[kind], r => r.ThreadMicrosecondsPerRecord);
        Console.WriteLine(string.Create(invariant, $"consumer-thread CPU ratio {kind}/raw (raw us per record / its us per record): {(cpu > 0 ? (rawCpu / cpu).ToString("F2", invariant) : "n/a (records ran on several threads)")}"));
        Console.WriteLine(string.Create(invariant, $"process CPU ratio {kind}/raw (raw process us per record / its): {rawProcess / Median(results[kind], r => r.ProcessMicrosecondsPerRecord):F2}"));
    }

    foreach (var variant in breakdown)
    {
        var name = PipelineLoop.Name(variant);
        Console.WriteLine(string.Create(invariant, $"breakdown: {name}/raw throughput ratio: {Median(results[name], r => r.RecordsPerSecond) / raw:F2}"));
    }

    var handWritten = Median(results["hand-written"], r => r.RecordsPerSecond);
    var pipelineRate = Median(results["pipeline"], r => r.RecordsPerSecond);
    var framework = Median(results[PipelineLoop.Name(PipelineVariant.BytesNoDedup)], r => r.RecordsPerSecond);
    var allocHand = Median(results["hand-written"], r => r.Gc.AllocatedBytes / (double)r.Records);
    var allocPipeline = Median(results["pipeline"], r => r.Gc.AllocatedBytes / (double)r.Records);
    Console.WriteLine(string.Create(invariant,
        $"allocated per record: pipeline {allocPipeline:F0} B, hand-written {allocHand:F0} B, difference {allocPipeline - allocHand:F0} B (target <= +200 B: {(allocPipeline - allocHand <= 200 ? "met" : "MISSED")}); "
        + $"gen2 GCs during the pipeline runs: {results["pipeline"].Sum(r => r.Gc.Gen2)} (target 0)"));
    Console.WriteLine(string.Create(invariant, $"pipeline/hand-written throughput ratio: {Truncate(pipelineRate / handWritten):F2} (target >= 1.00: {(pipelineRate >= handWritten ? "met" : "MISSED")})"));
    Console.WriteLine(string.Create(invariant, $"pipeline/raw throughput ratio: {Truncate(framework / raw):F2} (framework only: bytes handler, no dedup, vs the raw bytes loop; target >= 0.90: {(framework / raw >= 0.9 ? "met" : "MISSED")})"));

    void Report(RunResult result, int round)
    {
        Console.WriteLine(result + (round == 0 ? "   (warm-up, discarded)" : string.Empty));
        if (round > 0)
        {
            (results.TryGetValue(result.Kind, out var runs) ? runs : results[result.Kind] = []).Add(result);
        }
    }
}

// Issue 3: one poison record per 10,000 on partition 0 (FixedBackOff(1 s, 2), dead-letter topic) against a
// poison-free run; the other partitions' throughput ratio and the time from first failure to the DLT's ack.
static async Task RunPoisonAsync(BenchmarkSettings settings)
{
    var invariant = CultureInfo.InvariantCulture;
    var backOffs = PoisonRun.Interval * PoisonRun.Retries;
    Console.WriteLine(string.Create(invariant,
        $"KafkaPipeline poison benchmark: {settings.Records:N0} records over {settings.Partitions} partitions; 1 poison record per {PoisonRun.PoisonEvery:N0} "
        + $"on partition 0; FixedBackOff({PoisonRun.Interval.TotalSeconds:F0} s, {PoisonRun.Retries}) then the dead-letter topic; {settings.Runs} rounds after a warm-up."));
    using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
    const string Topic = "bench-poison";
    cluster.CreateTopic(Topic, settings.Partitions);
    cluster.CreateTopic(Topic + "-dlt", settings.Partitions);
    var data = Dataset.Produce(cluster.BootstrapServers, Topic, settings);
    var clean = new List<PoisonResult>();
    var poisoned = new List<PoisonResult>();
    for (var round = 0; round <= settings.Runs; round++)
    {
        var label = round == 0 ? "warm-up" : $"run {round}";
        foreach (var poison in new[] { false, true })
        {
            var result = await PoisonRun.RunAsync(data, label, poison, TimeSpan.FromMinutes(2));
            Console.WriteLine(result + (round == 0 ? "   (warm-up, discarded)" : string.Empty));
            if (round > 0)
            {
                (poison ? poisoned : clean).Add(result);
            }
        }
    }

    var toDeadLetter = MedianOf(poisoned.SelectMany(r => r.FailureToDeadLetter).Select(t => t.TotalMilliseconds).ToList());
    Console.WriteLine(string.Create(invariant,
        $"first failure -> DLT ack, median: {toDeadLetter:F0} ms = back-offs {backOffs.TotalMilliseconds:F0} ms + {toDeadLetter - backOffs.TotalMilliseconds:F0} ms (target: + < 100 ms)"));
    Console.WriteLine(string.Create(invariant,
        $"other partitions poison/poison-free throughput ratio: {MedianOf(poisoned.Select(r => r.OtherRecordsPerSecond).ToList()) / MedianOf(clean.Select(r => r.OtherRecordsPerSecond).ToList()):F2} (target >= 0.95)"));
}

static double Truncate(double ratio) => Math.Floor(ratio * 100) / 100; // a miss is never rounded up

static double MedianOf(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static double Median(List<RunResult> runs, Func<RunResult, double> value) => MedianOf(runs.Select(value).ToList());
