using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.RetryTopics.Tests.Integration;

[RetryableTopic(Attempts = 3, DelayMs = 100, AutoCreateTopics = false, DltHandler = typeof(DltRecorder))]
public sealed class AttributedHandler(Recorder recorder, HostName host) : IMessageHandler<TestOrder>
{
    public ValueTask HandleAsync(TestOrder message, ConsumeContext context, CancellationToken cancellationToken) =>
        recorder.RecordAsync(context, host.Value, message);
}

public sealed class DltRecorder(Recorder recorder) : IMessageHandler<TestOrder>
{
    public ValueTask HandleAsync(TestOrder message, ConsumeContext context, CancellationToken cancellationToken) =>
        recorder.RecordAsync(context, "dlt-handler", message);
}

/// <summary>[RetryableTopic] with configuration on top, and a DLT handler in Spring's <c>&lt;group&gt;-dlt</c> group.</summary>
public sealed class RetryableTopicAttributeTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task Attribute_ConfigurationOverridesAttempts_DltHandlerGetsExhaustedRecord()
    {
        var topic = ClusterFixture.Unique("orders");
        var group = ClusterFixture.Unique("group");
        foreach (var name in new[] { topic, topic + "-retry", topic + "-dlt" })
        {
            fixture.Cluster.CreateTopic(name, 1); // Attempts 2 from configuration: one retry topic, no "-retry-0"/"-retry-1"
        }

        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, [(0, "k", "{\"id\":9,\"seq\":0}", null)]);
        var recorder = new Recorder
        {
            Behavior = c => c.Topic.EndsWith("-dlt", StringComparison.Ordinal) ? ValueTask.CompletedTask : throw new TimeoutException("always"),
        };

        await using var host = await PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<AttributedHandler>(topic, group).UseRetryTopics(),
            new Dictionary<string, string?> { [$"Kafka:RetryTopics:{group}:Attempts"] = "2" });
        await Eventually.True(() => recorder.Count == 1, "the DLT handler got the record");

        var handled = Assert.Single(recorder.Handled);
        Assert.Equal(("dlt-handler", topic + "-dlt"), (handled.Host, handled.Topic));
        Assert.True(host.Services.GetRequiredService<RetryChains>().TryFind(topic, out var chain, out _));
        Assert.Equal(2, chain.Options.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), chain.Options.Delay);
        Assert.NotNull(host.Status(group + "-dlt"));
        Assert.NotNull(host.Status(group + "-retry"));
    }
}
