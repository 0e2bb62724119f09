using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.RetryTopics.Tests.Integration;

/// <summary>A <see cref="PipelineHost"/> whose <see cref="OrderHandler"/> consumer has retry topics, with test-friendly settings.</summary>
internal static class RetryTopicsHost
{
    public static Task<PipelineHost> StartAsync(
        ClusterFixture fixture, Recorder recorder, string topic, string group, Action<RetryTopicOptions> options, string name = "host", Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Kafka:Client:auto.commit.interval.ms"] = "100",
            ["Kafka:ErrorHandling:DeadLetterProducer:DeliveryTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<OrderHandler>(topic, group).UseRetryTopics(rt => rt.ForGroup(group, o =>
            {
                o.AutoCreateTopics = false; // the mock cluster serves no CreateTopics: topics are created with its own API
                options(o);
            })),
            all,
            name);
    }

    /// <summary>Creates the main topic and every topic of its chain with <paramref name="partitions"/> partitions.</summary>
    public static (string Topic, string Group) Topics(ClusterFixture fixture, int partitions, RetryTopicOptions options)
    {
        var topic = ClusterFixture.Unique("orders");
        foreach (var t in KafkaPipeline.RetryTopics.Topology.RetryTopology.Create(topic, options).Topics)
        {
            fixture.Cluster.CreateTopic(t.Name, partitions);
        }

        return (topic, ClusterFixture.Unique("group"));
    }
}
