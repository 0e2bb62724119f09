using KafkaPipeline;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Guarantees.Consumer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// The consumer process of the delivery-guarantee tests. Everything comes from --Key=value arguments:
//   --Bootstrap --Topic --Group --RunId --Postgres --Redis
//   --CommitMode StoredOffsets|PerRecord   --Store none|memory|redis|postgres|inbox
//   --CrashPoint none|before-handler|during-handler|after-handler-before-commit|during-dlt-publish   --CrashId <message id>
//   --Lease (dedup lease, e.g. 00:00:02)   --Ordering Partition|Key|Unordered
//   --RetryTopics true (failures go through <topic>-retry, then <topic>-dlt; crash points before-forward and
//   after-forward-before-commit)
// Every record that finishes prints "COMPLETED <message id>" (handled, dedup completed) or "DEADLETTERED <message id>"
// (dead letter acknowledged), so the test knows what finished before it kills the process.
// Records are JSON {"Id":"m-1","Poison":false} with a message-id header; a poison record's handler throws a
// not-retryable exception, so it goes to <topic>-dlt. Every handler call and every effect is written durably to
// PostgreSQL (tables guarantees_handler_calls / guarantees_effects, keyed by run id) before the process may die.
// At the crash point the process prints "CRASHPOINT reached <topic>/<partition>/<offset>" and blocks until killed.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var run = GuaranteeRun.From(settings);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Kafka:BootstrapServers"] = run.Bootstrap,
    ["Kafka:Client:session.timeout.ms"] = "3000",
    ["Kafka:Client:heartbeat.interval.ms"] = "300",
    ["Kafka:Client:topic.metadata.refresh.interval.ms"] = "1000",
    [$"Kafka:Consumers:{run.Group}:CommitMode"] = run.CommitMode,
    [$"Kafka:Consumers:{run.Group}:AutoCommitInterval"] = "00:00:01",
    [$"Kafka:Consumers:{run.Group}:ShutdownTimeout"] = "00:00:02",
    [$"Kafka:Consumers:{run.Group}:Ordering"] = run.Ordering,
    ["Kafka:Deduplication:Lease"] = run.Lease.ToString(),
    ["Kafka:Deduplication:Resilience:CircuitBreakerEnabled"] = "false",
});
// Any --Kafka:… argument overrides the settings above (e.g. a bad librdkafka setting for the fault test).
builder.Configuration.AddInMemoryCollection(settings.GetSection("Kafka").AsEnumerable().Where(e => e.Value is not null));
builder.Logging.AddFilter(level => level >= LogLevel.Warning);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

var dataSource = NpgsqlDataSource.Create(run.Postgres);
builder.Services.AddSingleton(run);
builder.Services.AddSingleton(new Ledger(dataSource, run));

var pipeline = builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
    .AddHandler<GuaranteeHandler>(run.Topic, run.Group)
    .UseDefaultErrorHandler(eh => eh
        // A reservation left by the killed process is "in progress" until its lease expires: keep retrying.
        .BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(200), 200))
        .NotRetryable<PoisonException>()
        .AddRetryListener(new CrashingListener(run))
        .Recoverer(sp => new CrashingRecoverer(DeadLetterPublishingRecoverer.Create(sp), run)));
if (run.RetryTopics)
{
    // The chain's recoverer replaces the dead-letter recoverer: main topic -> <topic>-retry (300 ms) -> <topic>-dlt.
    pipeline.UseRetryTopics(rt => rt.ForGroup(run.Group, o =>
    {
        o.Attempts = 2;
        o.Delay = TimeSpan.FromMilliseconds(300);
        o.AutoCreateTopics = false;
    }));
}

switch (run.Store)
{
    case "none":
        break;
    case "memory":
        pipeline.UseInMemoryDeduplication();
        break;
    case "redis":
        pipeline.UseRedisDeduplication(o => o.ConnectionString = run.Redis);
        break;
    case "postgres":
        pipeline.UsePostgreSqlDeduplication(o =>
        {
            o.ConnectionString = run.Postgres;
            o.TableName = "guarantees_dedup";
        });
        break;
    case "inbox":
        pipeline.AddPostgreSqlInbox(o =>
        {
            o.ConnectionString = run.Postgres;
            o.TableName = "guarantees_dedup";
        });
        break;
    default:
        throw new ArgumentException($"unknown --Store '{run.Store}'");
}

pipeline.ConfigurePipeline(p =>
{
    // Outermost: runs after the dedup step completed (store marked processed / inbox committed), before the offset is stored.
    p.Use(async (context, next) =>
    {
        await next(context);
        await run.CrashIfAsync("after-handler-before-commit", context);
        run.Print("COMPLETED", context);
    });
    p.UseDeserialization();
    switch (run.Store)
    {
        case "none":
            p.WithoutDeduplication();
            break;
        case "inbox":
            p.UsePostgreSqlInbox();
            break;
        default:
            p.UseDeduplication();
            break;
    }

    // Innermost: after the dedup reservation (or inside the inbox transaction), before the handler.
    p.Use(async (context, next) =>
    {
        await run.CrashIfAsync("before-handler", context);
        await next(context);
    });
    p.UseHandler();
});

using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine($"STARTED {run.RunId} pid {Environment.ProcessId}");
Console.Out.Flush();
await host.WaitForShutdownAsync();
await dataSource.DisposeAsync();
