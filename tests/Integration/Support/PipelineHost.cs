using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.IntegrationTests.Support;

/// <summary>A real generic host running KafkaPipeline consumers against a cluster.</summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public KafkaConsumerStatus Status(string groupId) =>
        Services.GetRequiredService<KafkaConsumerMonitor>().Find(groupId) ?? throw new InvalidOperationException($"no consumer '{groupId}'");

    public static async Task<PipelineHost> StartAsync(
        string bootstrap,
        Recorder recorder,
        Action<KafkaPipelineBuilder> configure,
        Dictionary<string, string?>? settings = null,
        string name = "host",
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

        builder.Services.AddSingleton(recorder);
        builder.Services.AddSingleton(new HostName(name));
        services?.Invoke(builder.Services);
        configure(builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")));
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHost(host);
    }

    public Task StopAsync() => _host.StopAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }
}
