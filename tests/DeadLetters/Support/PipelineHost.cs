using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>A real generic host running a KafkaPipeline consumer against the embedded cluster (pattern of tests/Integration).</summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineHost(IHost host) => _host = host;

    public KafkaConsumerStatus Status(string groupId) =>
        _host.Services.GetRequiredService<KafkaConsumerMonitor>().Find(groupId) ?? throw new InvalidOperationException($"no consumer '{groupId}'");

    public static async Task<PipelineHost> StartAsync(string bootstrap, Action<IServiceCollection> services, Action<KafkaPipelineBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:Client:session.timeout.ms"] = "6000",
            ["Kafka:Client:heartbeat.interval.ms"] = "500",
            ["Kafka:Client:topic.metadata.refresh.interval.ms"] = "1000",
        });
        services(builder.Services);
        configure(builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")));
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }
}
