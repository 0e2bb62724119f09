using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Benchmarks.RetryTopics;
using KafkaPipeline.Native;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Main-topic throughput with 1 % of the records going through three retry tiers (100, 200, 400 ms) versus no failures,
// on the same pre-produced records (fresh consumer group per run). Target: ratio >= 0.9.
var invariant = CultureInfo.InvariantCulture;
var records = args.Length > 0 ? int.Parse(args[0], invariant) : 100_000;
var rounds = args.Length > 1 ? int.Parse(args[1], invariant) : 3;
var ordering = args.Length > 2 ? args[2] : "Key"; // a failing record's awaited forward holds back its key only
var concurrency = args.Length > 3 ? args[3] : "16"; // records in flight, forwards included (default 16)
var linger = args.Length > 4 ? args[4] : "default"; // the dead-letter/forwarding producer's linger.ms ("default": ours, 0)
var spread = args.Length > 5 && args[5] == "spread"; // "spread": 1 % of every key's records fail; else every record of 10 keys
var handlerMs = args.Length > 6 ? int.Parse(args[6], invariant) : 0; // awaited I/O per record in the handler (0: instant)
const int Partitions = 8;
const string Topic = "bench-retry-orders";
Console.WriteLine(string.Create(invariant,
    $"KafkaPipeline retry topics: {records:N0} records over {Partitions} partitions, Ordering {ordering}, MaxConcurrency {concurrency}, forwarding linger.ms {linger}, failing records: {(spread ? "1 % of every key" : "all records of 10 keys (poison keys)")}, handler {(handlerMs == 0 ? "instant" : $"awaits {handlerMs} ms")}, {rounds} measured rounds of (no failures, 1 % through 3 retry tiers) after a warm-up; "
    + $"{Environment.ProcessorCount} cores, load average {LoadAverage()}"));

using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
cluster.CreateTopic(Topic, Partitions);

await ProduceAsync(cluster.BootstrapServers, records);
var ratios = new List<double>();
for (var round = 0; round <= rounds; round++)
{
    var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
    var (clean, cleanCpu, _) = only == "failing" ? (1.0, TimeSpan.Zero, 0) : await RunAsync(cluster, records, failOnePercent: false, round, ordering, concurrency, linger, spread, handlerMs);
    var (failing, failingCpu, _) = only == "clean" ? (1.0, TimeSpan.Zero, 0) : await RunAsync(cluster, records, failOnePercent: true, round, ordering, concurrency, linger, spread, handlerMs);
    var ratio = failing / clean;
    Console.WriteLine(string.Create(invariant,
        $"{(round == 0 ? "warm-up" : $"run {round}")}: no failures {clean:N0} rec/s, 1 % through retry tiers {failing:N0} rec/s, ratio {ratio:F3}; "
        + $"process CPU per main-topic record until the main topic is done: {cleanCpu.TotalMilliseconds * 1000 / records:F1} µs without failures, {failingCpu.TotalMilliseconds * 1000 / records:F1} µs with"));
    if (round > 0)
    {
        ratios.Add(ratio);
    }
}

ratios.Sort();
Console.WriteLine(string.Create(invariant, $"median ratio {ratios[ratios.Count / 2]:F3} (target >= 0.9); load average after {LoadAverage()}"));
return 0;

// Throughput of the main topic, and the process CPU time from host start to the last main-topic record (start-up included).
static async Task<(double Throughput, TimeSpan Cpu, int Failing)> RunAsync(
    EmbeddedKafkaCluster cluster, int records, bool failOnePercent, int round, string ordering, string concurrency, string linger, bool spread, int handlerMs)
{
    var bootstrap = cluster.BootstrapServers;
    var counters = new BenchCounters(Topic, records, failOnePercent, spread, handlerMs);
    var group = $"bench-{(failOnePercent ? "failing" : "clean")}-{round}";
    var run = $"-{group}"; // each run has its own retry topics, so no run reads another's retried records
    foreach (var suffix in new[] { "-retry-100", "-retry-200", "-retry-400", "-dlt" })
    {
        cluster.CreateTopic(Topic + run + suffix, Partitions);
    }

    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Kafka:Client:fetch.queue.backoff.ms"] = "20",
        [$"Kafka:Consumers:{group}:Ordering"] = ordering,
        [$"Kafka:Consumers:{group}:MaxConcurrency"] = concurrency,
    });
    if (linger != "default")
    {
        builder.Configuration["Kafka:ErrorHandling:DeadLetterProducer:Client:linger.ms"] = linger;
    }

    builder.Logging.AddFilter(level => level >= LogLevel.Error);
    builder.Services.AddSingleton(counters);
    builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
        .AddHandler<BenchHandler>(Topic, group)
        .UseRetryTopics(rt => rt.ForGroup(group, o =>
        {
            o.Attempts = 4;
            o.Delay = TimeSpan.FromMilliseconds(100);
            o.Multiplier = 2;
            o.AutoCreateTopics = false;
            o.RetryTopicSuffix = run + "-retry";
            o.DltTopicSuffix = run + "-dlt";
        }));
    using var host = builder.Build();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    await host.StartAsync();
    if (await Task.WhenAny(counters.MainDone.Task, Task.Delay(TimeSpan.FromMinutes(2))) != counters.MainDone.Task)
    {
        throw new TimeoutException($"{(failOnePercent ? "failing" : "clean")} run {round}: only {counters.Main:N0} of {records:N0} main-topic records reached the handler in 2 minutes ({counters.Retried:N0} finished on the third tier)");
    }

    var seconds = Stopwatch.GetElapsedTime(counters.FirstMainTicks, counters.LastMainTicks).TotalSeconds;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore; // until the last main-topic record: what the main topic competes with
    var failing = counters.Failing;
    if (failOnePercent)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (counters.Retried < failing && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (counters.Retried != failing)
        {
            throw new InvalidOperationException($"{counters.Retried} of {failing} failing records finished on the third retry tier");
        }
    }

    await host.StopAsync();
    return (records / seconds, cpu, failing);
}

static async Task ProduceAsync(string bootstrap, int records)
{
    using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, LingerMs = 5 }).Build();
    var payload = new string('x', 150);
    var failed = 0;
    string? firstError = null;
    for (var i = 0; i < records; i++)
    {
        producer.Produce(
            new TopicPartition(Topic, i % Partitions),
            new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes($"k{i % 1000}"),
                Value = Encoding.UTF8.GetBytes($"{{\"id\":{i},\"payload\":\"{payload}\"}}"),
            },
            report =>
            {
                if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
                {
                    firstError = report.Error.Reason;
                }
            });
    }

    if (producer.Flush(TimeSpan.FromMinutes(1)) > 0 || failed > 0)
    {
        throw new InvalidOperationException($"producing the {records:N0} records failed ({failed:N0} refused, first: {firstError}); the embedded cluster holds a limited number of records per partition");
    }

    await Task.CompletedTask;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
