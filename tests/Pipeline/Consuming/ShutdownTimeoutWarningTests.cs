using KafkaPipeline.Consuming;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>The consumer's ShutdownTimeout must leave the host time to let it commit and close.</summary>
public sealed class ShutdownTimeoutWarningTests
{
    [Theory]
    [InlineData(30, false)] // defaults: 20 s + 5 s to close < 30 s
    [InlineData(20, true)]  // the host gives up first
    public async Task Start_HostShutdownTimeoutVersusConsumers_WarnsOnlyWhenTheHostWouldGiveUpFirst(int hostSeconds, bool warned)
    {
        var logger = new ListLogger();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(hostSeconds));
        builder.Logging.ClearProviders().AddProvider(logger);
        builder.Services.AddSingleton<IKafkaConsumerFactory>(new IdleConsumerFactory());
        builder.Services.AddKafkaPipeline(o =>
        {
            o.BootstrapServers = "127.0.0.1:1";
            o.DefaultGroupId = "g";
        }).AddHandler<BytesHandler>("orders");
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(warned, logger.Entries.Any(e => e.EventId.Id == 1021));
    }

    private sealed class BytesHandler : IMessageHandler<byte[]>
    {
        public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class IdleConsumerFactory : IKafkaConsumerFactory
    {
        public Confluent.Kafka.IConsumer<byte[]?, byte[]?> Create(Confluent.Kafka.ConsumerConfig config, ConsumerCallbacks callbacks) =>
            new ScriptedConsumer(callbacks, []);
    }
}
