using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline;
using KafkaPipeline.Native;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// Records/s of the pipeline with each deduplication store, on one embedded cluster with pre-produced records.
//   dotnet run -c Release --project benchmarks/Deduplication [-- --records 50000 --partitions 16 --size 200 --only none,memory
//                                                              --ordering Key --in-flight 64]
// Records carry 1,000 distinct keys; the consumer runs with --ordering (default Key) and --in-flight records at once
// (default 64), so the stores are called from as many lanes concurrently.
// Needs Redis and PostgreSQL on loopback (bash scripts/services.sh); KP_REDIS / KP_POSTGRES override.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var records = int.Parse(settings["records"] ?? "50000", CultureInfo.InvariantCulture);
var partitions = int.Parse(settings["partitions"] ?? "16", CultureInfo.InvariantCulture);
var size = int.Parse(settings["size"] ?? "200", CultureInfo.InvariantCulture);
var only = settings["only"]?.Split(',', StringSplitOptions.RemoveEmptyEntries);
var ordering = settings["ordering"] ?? "Key";
var inFlight = int.Parse(settings["in-flight"] ?? "64", CultureInfo.InvariantCulture);
var redis = Environment.GetEnvironmentVariable("KP_REDIS") ?? "127.0.0.1:6379";
var postgres = Environment.GetEnvironmentVariable("KP_POSTGRES")
    ?? "Host=127.0.0.1;Port=5432;Username=kafkapipeline;Password=kafkapipeline;Database=kafkapipeline";

using var cluster = EmbeddedKafkaCluster.Start();
const string Topic = "dedup-bench";
cluster.CreateTopic(Topic, partitions);
var produceWatch = Stopwatch.StartNew();
await ProduceAsync(cluster.BootstrapServers, Topic, records, partitions, size);
Console.WriteLine($"Produced {records:N0} x {size} B over {partitions} partitions in {produceWatch.Elapsed.TotalSeconds:0.0} s " +
                  $"(each with a unique message-id header, 1,000 keys). Consumer: {ordering} ordering, {inFlight} in flight. " +
                  $".NET {Environment.Version}, {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg")[..14]}.");

var runId = Guid.NewGuid().ToString("N")[..8];
string[] variants = ["none", "memory", "redis", "postgres", "inbox"];
var results = new List<(string Variant, double RecordsPerSecond)>();
var breakdown = new List<string>();
foreach (var variant in variants.Where(v => only is null || only.Contains(v)))
{
    // A first pass in another group brings the code paths of this variant to optimized (tier-1) code, as in a consumer
    // that has run for a while; only the second pass is measured.
    await RunAsync(variant, "warmup");
    var (rate, cpu) = await RunAsync(variant, "measured");
    results.Add((variant, rate));
    breakdown.Add($"{variant,-9} CPU per record: consumer process {cpu.Client,6:0.0} µs, Redis/PostgreSQL servers {cpu.Servers,6:0.0} µs");
    var baseline = results.FirstOrDefault(r => r.Variant == "none").RecordsPerSecond;
    Console.WriteLine(baseline > 0
        ? $"{variant,-9} {rate,10:N0} records/s   {rate / baseline,6:0.000} x no dedup"
        : $"{variant,-9} {rate,10:N0} records/s");
}

// Where the time goes: CPU spent between the first and the last handled record, by this process (consumer, embedded
// cluster, store clients) and by the store servers, per record.
breakdown.ForEach(Console.WriteLine);

await DropTableAsync();
await DeleteRedisKeysAsync();
return 0;

async Task<(double Rate, (double Client, double Servers) Cpu)> RunAsync(string variant, string pass)
{
    var counter = new Counter(records);
    var group = $"bench-{variant}-{pass}-{runId}";
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
        [$"Kafka:Consumers:{group}:Ordering"] = ordering,
        [$"Kafka:Consumers:{group}:MaxConcurrency"] = inFlight.ToString(CultureInfo.InvariantCulture),
    });
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Error);
    builder.Services.AddSingleton(counter);
    var pipeline = builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
        .AddHandler<CountingHandler>(Topic, group);
    var table = $"bench_dedup_{runId}_{pass}";
    switch (variant)
    {
        case "none":
            pipeline.ConfigurePipeline(p => p.WithoutDeduplication());
            break;
        case "memory":
            pipeline.UseInMemoryDeduplication();
            break;
        case "redis":
            pipeline.UseRedisDeduplication(o =>
            {
                o.ConnectionString = redis;
                o.KeyPrefix = $"kafkapipeline:bench:{runId}:{pass}:";
            });
            break;
        case "postgres":
            pipeline.UsePostgreSqlDeduplication(o =>
            {
                o.ConnectionString = postgres;
                o.TableName = table;
            });
            break;
        case "inbox":
            pipeline.AddPostgreSqlInbox(o =>
            {
                o.ConnectionString = postgres;
                o.TableName = table;
            }).ConfigurePipeline(p => p.UsePostgreSqlInbox());
            break;
    }

    using var host = builder.Build();
    await host.StartAsync();
    // Timed from the first handled record to the last: group join and connection set-up are left out.
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
    while (!counter.Done.IsCompleted && DateTime.UtcNow < deadline)
    {
        await Task.WhenAny(counter.Done, Task.Delay(1000));
    }

    await host.StopAsync();
    if (!counter.Done.IsCompleted)
    {
        throw new TimeoutException($"{variant}: only {counter.Count:N0} of {records:N0} records handled within 10 minutes");
    }

    if (counter.Count != records)
    {
        throw new InvalidOperationException($"{variant}: handled {counter.Count:N0} records, produced {records:N0}");
    }

    return ((records - 1) / (counter.Last - counter.First).TotalSeconds,
        ((counter.LastCpu.Client - counter.FirstCpu.Client).TotalMicroseconds / records,
         (counter.LastCpu.Servers - counter.FirstCpu.Servers).TotalMicroseconds / records));
}

// Leaves no keys behind: a Redis filled with millions of benchmark keys slows everything that scans it.
async Task DeleteRedisKeysAsync()
{
    if (only is not null && !only.Contains("redis"))
    {
        return;
    }

    await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
    var server = connection.GetServers()[0];
    var db = connection.GetDatabase();
    var batch = new List<StackExchange.Redis.RedisKey>();
    await foreach (var key in server.KeysAsync(pattern: $"kafkapipeline:bench:{runId}:*", pageSize: 5000))
    {
        batch.Add(key);
        if (batch.Count == 5000)
        {
            await db.KeyDeleteAsync([.. batch]);
            batch.Clear();
        }
    }

    if (batch.Count > 0)
    {
        await db.KeyDeleteAsync([.. batch]);
    }
}

async Task DropTableAsync()
{
    await using var dataSource = NpgsqlDataSource.Create(postgres);
    await using var command = dataSource.CreateCommand($"DROP TABLE IF EXISTS bench_dedup_{runId}_warmup, bench_dedup_{runId}_measured");
    try
    {
        await command.ExecuteNonQueryAsync();
    }
    catch (NpgsqlException)
    {
        // PostgreSQL variants were not run.
    }
}

static async Task ProduceAsync(string bootstrap, string topic, int count, int partitions, int size)
{
    KafkaNativeLibrary.EnsureLoaded();
    using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        Acks = Acks.All,
        LingerMs = 20,
        BatchSize = 1_000_000,
    }).Build();
    var value = new byte[size];
    Random.Shared.NextBytes(value);
    var delivered = 0;
    var failed = 0;
    for (var i = 0; i < count; i++)
    {
        while (true)
        {
            try
            {
                producer.Produce(new TopicPartition(topic, i % partitions), new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes($"key-{i % 1000}"),
                    Value = value,
                    Headers = new Headers { { "message-id", Encoding.UTF8.GetBytes($"msg-{i:0000000}") } },
                }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else
                    {
                        Interlocked.Increment(ref delivered);
                    }
                });
                break;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    producer.Flush(TimeSpan.FromMinutes(1));
    if (delivered != count || failed != 0)
    {
        throw new InvalidOperationException($"produced {delivered:N0} of {count:N0} records ({failed} failed)");
    }

    // The embedded cluster keeps about 5 MiB per partition and drops the oldest records beyond that, silently: the
    // runs would then wait for records that are gone. Fail now, with what to change.
    using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "dedup-bench-check" }).Build();
    for (var p = 0; p < partitions; p++)
    {
        var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).Low.Value;
        if (low > 0)
        {
            throw new InvalidOperationException(
                $"partition {p} kept only the records from offset {low:N0} on: the embedded cluster holds about 5 MiB per partition. Use fewer --records, a smaller --size or more --partitions.");
        }
    }

    await Task.CompletedTask;
}

/// <summary>CPU time used so far by this process and by the Redis and PostgreSQL server processes (from /proc).</summary>
internal static class ServerCpu
{
    private static readonly double TickSeconds = 1.0 / 100; // USER_HZ

    public static (TimeSpan Client, TimeSpan Servers) Now()
    {
        var servers = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (comm is "redis-server" or "postgres")
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    servers += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return (Process.GetCurrentProcess().TotalProcessorTime, TimeSpan.FromSeconds(servers * TickSeconds));
    }
}

/// <summary>Counts handled records and times the first and the last.</summary>
internal sealed class Counter(int expected)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public Task Done => _done.Task;

    public int Count => Volatile.Read(ref _count);

    public TimeSpan First { get; private set; }

    public TimeSpan Last { get; private set; }

    public (TimeSpan Client, TimeSpan Servers) FirstCpu { get; private set; }

    public (TimeSpan Client, TimeSpan Servers) LastCpu { get; private set; }

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public void Hit()
    {
        var n = Interlocked.Increment(ref _count);
        if (n == 1)
        {
            First = Clock.Elapsed;
            FirstCpu = ServerCpu.Now();
        }

        if (n == expected)
        {
            Last = Clock.Elapsed;
            LastCpu = ServerCpu.Now();
            _done.TrySetResult();
        }
    }
}

internal sealed class CountingHandler(Counter counter) : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken)
    {
        counter.Hit();
        return ValueTask.CompletedTask;
    }
}
