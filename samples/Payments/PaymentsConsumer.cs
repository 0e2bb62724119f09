using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaPipeline.Samples.Payments;

/// <summary>
/// The consumer process (<c>--Mode=consumer</c>): a host whose handler charges payments through the PostgreSQL inbox.
/// With <c>--CrashAfter=&lt;payment id&gt;</c> it stops dead right after that payment's inbox transaction committed
/// and before its offset is committed, and waits there to be killed. Closing its standard input stops it gracefully.
/// </summary>
internal static class PaymentsConsumer
{
    public const string CrashMarker = "CRASHPOINT";

    public static async Task<int> RunAsync(IConfiguration settings)
    {
        var runId = settings["RunId"] ?? throw new ArgumentException("--RunId is required");
        var crashAfter = settings["CrashAfter"];
        await using var dataSource = NpgsqlDataSource.Create(settings["Postgres"]!);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = settings["BootstrapServers"],
            ["Kafka:Client:session.timeout.ms"] = "3000",
            ["Kafka:Client:heartbeat.interval.ms"] = "300",
            [$"Kafka:Consumers:{settings["Group"]}:AutoCommitInterval"] = "00:00:01",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning);
        var ledger = new Ledger(dataSource, runId);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
            .AddHandler<ChargeHandler>(settings["Topic"]!, settings["Group"])
            .AddPostgreSqlInbox(o =>
            {
                o.ConnectionString = settings["Postgres"];
                o.TableName = Ledger.InboxTable;
            })
            .ConfigurePipeline(p => p
                .Use(async (context, next) =>
                {
                    // Every delivery Kafka makes, duplicates included (the inbox skips the handler for those).
                    await ledger.RecordDeliveryAsync(PaymentId(context), context.CancellationToken);
                    await next(context); // the inbox transaction (charge + processed mark) has committed here
                    if (crashAfter is not null && PaymentId(context) == crashAfter)
                    {
                        Console.WriteLine($"{CrashMarker} {crashAfter} charged and committed in PostgreSQL; Kafka offset {context.Offset} not committed");
                        await Task.Delay(Timeout.Infinite, CancellationToken.None); // the demo kills this process here
                    }
                })
                .UseDeserialization()
                .UsePostgreSqlInbox()
                .UseHandler());

        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            lifetime.StopApplication(); // stdin closed by the demo: stop (commits stored offsets)
        });
        await host.RunAsync();
        return 0;
    }

    private static string PaymentId(ConsumeContext context) =>
        context.Headers.TryGetLastBytes("message-id", out var id) ? System.Text.Encoding.UTF8.GetString(id) : "(no id)";
}
