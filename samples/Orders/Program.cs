using KafkaPipeline.Samples.Orders;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// --telemetry: export KafkaPipeline's spans and metrics to the console (OpenTelemetry).
var telemetry = args.Contains("--telemetry");
args = [.. args.Where(a => a != "--telemetry")];

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--bootstrap-servers"] = "Kafka:BootstrapServers" });

// No broker configured: run the demo on an embedded cluster (librdkafka's mock, loopback only).
EmbeddedKafkaCluster? cluster = null;
if (string.IsNullOrWhiteSpace(builder.Configuration["Kafka:BootstrapServers"]))
{
    cluster = EmbeddedKafkaCluster.Start(brokers: 3);
    cluster.CreateTopic(DemoDriver.Topic, partitions: 3, replicationFactor: 3);
    cluster.CreateTopic(DemoDriver.Topic + "-dlt", partitions: 3, replicationFactor: 3);
    builder.Configuration["Kafka:BootstrapServers"] = cluster.BootstrapServers;
    builder.Services.AddSingleton(cluster);
    builder.Services.AddSingleton<DemoDriver>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoDriver>());
}

builder.Services.AddSingleton<SampleStats>();
builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
    .AddHandlersFromAssembly(typeof(BillingHandler).Assembly)
    .UseInMemoryDeduplication()
    .ConfigurePipeline(p => p.UseDeserialization().UseDeduplication().UseMiddleware<DuplicateCounter>().UseHandler())
    .UseDefaultErrorHandler(eh => eh
        .BackOff(new KafkaPipeline.ErrorHandling.BackOff.FixedBackOff(TimeSpan.FromMilliseconds(200), maxAttempts: 2))
        .NotRetryable<InvalidOrderException>()
        .AddRetryListener(new ConsoleRetryListener()));

if (telemetry)
{
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddKafkaPipelineInstrumentation().AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddKafkaPipelineInstrumentation()
            .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 2000));
}

using var host = builder.Build();
var demo = host.Services.GetService<DemoDriver>();
await host.RunAsync();
cluster?.Dispose();
return demo?.ExitCode ?? 0;
