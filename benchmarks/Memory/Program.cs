using System.Diagnostics;
using System.Globalization;
using KafkaPipeline;
using KafkaPipeline.Benchmarks.Memory;
using KafkaPipeline.Health;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Memory of a consumer with a large backlog and a slow handler: does the process stay flat while it works through it?
//   dotnet run -c Release --project benchmarks/Memory [-- --records 1000000 --seconds 30 --handler-ms 20 --unbounded true]
// A 1,000,000-record backlog is produced first (32 partitions, 100-byte values, 10,000 keys); then a Key-ordered consumer
// (64 in flight) whose handler awaits --handler-ms consumes for --seconds while RSS, the GC heap and the records it
// buffers are sampled every second. With --unbounded it runs again with the buffer bounds lifted, for contrast.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var records = int.Parse(settings["records"] ?? "1000000", CultureInfo.InvariantCulture);
var seconds = int.Parse(settings["seconds"] ?? "30", CultureInfo.InvariantCulture);
var handlerMs = int.Parse(settings["handler-ms"] ?? "20", CultureInfo.InvariantCulture);
var unbounded = bool.Parse(settings["unbounded"] ?? "true");
var client = settings.GetSection("client").AsEnumerable(makePathsRelative: true).Where(e => e.Value is not null)
    .ToDictionary(e => "Kafka:Client:" + e.Key, e => e.Value); // e.g. --client:fetch.queue.backoff.ms=1000
const int Partitions = 32;

using var cluster = EmbeddedKafkaCluster.Start();
cluster.CreateTopic("backlog", Partitions);
var produce = Stopwatch.StartNew();
Backlog.Produce(cluster.BootstrapServers, "backlog", records, Partitions);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"backlog: {records:N0} records of 100 B over {Partitions} partitions produced in {produce.Elapsed.TotalSeconds:F1} s; "
    + $".NET {Environment.Version}, {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg")[..14]}"));
GC.Collect();
Console.WriteLine($"RSS after producing (embedded cluster holds the backlog): {Mb(Environment.WorkingSet)} MB");

await RunAsync("bounded (defaults: 10,000 records / 32 MiB)", []);
if (unbounded)
{
    await RunAsync("bounds lifted (10,000,000 records / 4 GiB)", new()
    {
        ["Kafka:Consumers:mem-unbounded:MaxBufferedRecords"] = "10000000",
        ["Kafka:Consumers:mem-unbounded:MaxBufferedBytes"] = "4294967296",
    }, "mem-unbounded");
}

return 0;

async Task RunAsync(string label, Dictionary<string, string?> extra, string group = "mem-bounded")
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
        [$"Kafka:Consumers:{group}:Ordering"] = "Key",
        [$"Kafka:Consumers:{group}:MaxConcurrency"] = "64",
    });
    builder.Configuration.AddInMemoryCollection(extra);
    builder.Configuration.AddInMemoryCollection(client);
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Error);
    builder.Services.AddSingleton(new SlowHandler.Settings(TimeSpan.FromMilliseconds(handlerMs)));
    builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")).AddHandler<SlowHandler>("backlog", group)
        .ConfigurePipeline(p => p.WithoutDeduplication());
    using var host = builder.Build();
    await host.StartAsync();
    var status = host.Services.GetRequiredService<KafkaConsumerMonitor>().Find(group)!;
    Console.WriteLine($"-- {label}: Key ordering, 64 in flight, handler awaits {handlerMs} ms");
    var samples = new List<long>();
    for (var t = 1; t <= seconds; t++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var rss = Environment.WorkingSet;
        samples.Add(rss);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"t={t,3} s  rss {Mb(rss),6} MB  gc heap {Mb(GC.GetTotalMemory(false)),6} MB  buffered {status.RecordsBuffered,9:N0}  in flight {status.RecordsInFlight,3}  handled {status.RecordsCompleted,9:N0}"));
    }

    await host.StopAsync();
    var settled = samples.Skip(Math.Min(5, samples.Count - 1)).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}: RSS from t=6 s on: min {Mb(settled.Min())} MB, max {Mb(settled.Max())} MB, growth {100.0 * (settled.Max() - settled.Min()) / settled.Min():F1} %; "
        + $"handled {status.RecordsCompleted:N0} of the {records:N0}-record backlog"));
}

static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture);
