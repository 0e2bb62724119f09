using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Tests.Support;

/// <summary>
/// A real generic host running KafkaPipeline consumers against a cluster, with client settings that make group joins
/// and rebalances take about a second. Logs warnings and above; <c>KP_TEST_LOG=1</c> writes them to the console.
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private PipelineHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public KafkaConsumerStatus Status(string groupId) =>
        Services.GetRequiredService<KafkaConsumerMonitor>().Find(groupId) ?? throw new InvalidOperationException($"no consumer '{groupId}'");

    /// <summary>
    /// Starts a host whose pipeline <paramref name="configure"/> builds. <paramref name="settings"/> are added to the
    /// configuration (keys such as <c>Kafka:Consumers:&lt;group&gt;:CommitMode</c>); <paramref name="services"/> registers
    /// what the handlers need.
    /// </summary>
    public static async Task<PipelineHost> StartAsync(
        string bootstrap,
        Action<KafkaPipelineBuilder> configure,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:Client:session.timeout.ms"] = "6000",
            ["Kafka:Client:heartbeat.interval.ms"] = "500",
            ["Kafka:Client:topic.metadata.refresh.interval.ms"] = "1000",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("KP_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        services?.Invoke(builder.Services);
        configure(builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")));
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHost(host);
    }

    /// <summary>
    /// Starts a host whose handlers record into <paramref name="recorder"/> (registered with a <see cref="HostName"/> of
    /// <paramref name="name"/>, so several hosts can share one recorder).
    /// </summary>
    public static Task<PipelineHost> StartAsync(
        string bootstrap,
        Recorder recorder,
        Action<KafkaPipelineBuilder> configure,
        IReadOnlyDictionary<string, string?>? settings = null,
        string name = "host",
        Action<IServiceCollection>? services = null) =>
        StartAsync(bootstrap, configure, settings, s =>
        {
            s.AddSingleton(recorder);
            s.AddSingleton(new HostName(name));
            services?.Invoke(s);
        });

    public Task StopAsync() => _host.StopAsync(StopTimeout);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(StopTimeout);
        _host.Dispose();
    }
}
