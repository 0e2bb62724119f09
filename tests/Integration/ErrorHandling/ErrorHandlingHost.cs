using KafkaPipeline.ErrorHandling.DependencyInjection;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>Starts a <see cref="PipelineHost"/> whose consumer uses the default error handler, with test-friendly client settings.</summary>
internal static class ErrorHandlingHost
{
    /// <summary>
    /// One <see cref="OrderHandler"/> consumer of <paramref name="topic"/> in <paramref name="group"/>, committing per record
    /// (so committed offsets can be asserted at once) unless <paramref name="settings"/> say otherwise. Clients reconnect
    /// quickly to a broker that comes back, and the dead-letter producer gives up on an attempt after 3 s.
    /// </summary>
    public static Task<PipelineHost> StartAsync(
        ClusterFixture fixture,
        Recorder recorder,
        string topic,
        string group,
        Action<DefaultErrorHandlerBuilder> errorHandling,
        Dictionary<string, string?>? settings = null,
        string name = "host")
    {
        var all = new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord",
            ["Kafka:Client:reconnect.backoff.ms"] = "50",
            ["Kafka:Client:reconnect.backoff.max.ms"] = "200",
            ["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:03",
            ["Kafka:ErrorHandling:DeadLetterProducer:MetadataTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<OrderHandler>(topic, group).UseDefaultErrorHandler(errorHandling),
            all,
            name);
    }

    /// <summary>A topic with <paramref name="partitions"/> partitions and a unique name, plus a unique group id.</summary>
    public static (string Topic, string Group) Names(ClusterFixture fixture, int partitions, string prefix = "orders")
    {
        return (fixture.CreateTopic(prefix, partitions), ClusterFixture.Unique("group"));
    }
}
