using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Topology;

namespace KafkaPipeline.RetryTopics.Tests.Topology;

/// <summary>Names as spring-kafka 3.3's DestinationTopicPropertiesFactory gives them.</summary>
public sealed class RetryTopologyTests
{
    private static string[] Names(RetryTopicOptions options) =>
        [.. RetryTopology.Create("orders", options).Topics.Select(t => t.Name)];

    [Fact]
    public void Create_Defaults_OneReusableRetryTopicAndDlt()
    {
        var topology = RetryTopology.Create("orders", new RetryTopicOptions());
        Assert.Equal(["orders", "orders-retry", "orders-dlt"], topology.Topics.Select(t => t.Name));
        Assert.Equal(DestinationKind.ReusableRetry, topology.Topics[1].Kind);
        Assert.Equal([1000L, 1000L], topology.BackOffValues);
    }

    [Fact]
    public void Create_FixedMultipleTopics_SuffixedWithIndex() =>
        Assert.Equal(["orders", "orders-retry-0", "orders-retry-1", "orders-dlt"],
            Names(new RetryTopicOptions { SameIntervalTopicReuse = SameIntervalTopicReuseStrategy.MultipleTopics }));

    [Fact]
    public void Create_Exponential_SuffixedWithDelay() =>
        Assert.Equal(["orders", "orders-retry-1000", "orders-retry-2000", "orders-retry-4000", "orders-dlt"],
            Names(new RetryTopicOptions { Attempts = 4, Multiplier = 2 }));

    [Fact]
    public void Create_ExponentialReachingMaxSingleTopic_LastTopicReused()
    {
        var topology = RetryTopology.Create("orders", new RetryTopicOptions { Attempts = 5, Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(3) });
        Assert.Equal([1000L, 2000L, 3000L, 3000L], topology.BackOffValues);
        Assert.Equal(["orders", "orders-retry-1000", "orders-retry-2000", "orders-retry-3000", "orders-dlt"], topology.Topics.Select(t => t.Name));
        Assert.Equal(DestinationKind.ReusableRetry, topology.Topics[3].Kind);
        Assert.Equal(DestinationKind.Retry, topology.Topics[2].Kind);
    }

    [Fact]
    public void Create_ExponentialReachingMaxMultipleTopics_RepeatedDelaysNumbered() =>
        Assert.Equal(["orders", "orders-retry-1000", "orders-retry-2000", "orders-retry-3000-0", "orders-retry-3000-1", "orders-dlt"],
            Names(new RetryTopicOptions { Attempts = 5, Multiplier = 2, MaxDelay = TimeSpan.FromSeconds(3), SameIntervalTopicReuse = SameIntervalTopicReuseStrategy.MultipleTopics }));

    [Fact]
    public void Create_IndexSuffixing_SuffixedWithIndex() =>
        Assert.Equal(["orders", "orders-retry-0", "orders-retry-1", "orders-dlt"],
            Names(new RetryTopicOptions { Multiplier = 2, TopicSuffixing = TopicSuffixingStrategy.SuffixWithIndexValue }));

    [Fact]
    public void Create_NoDltCustomSuffixes_NoDltTopic() =>
        Assert.Equal(["orders", "orders.retry"],
            Names(new RetryTopicOptions { Attempts = 2, RetryTopicSuffix = ".retry", DltStrategy = DltStrategy.NoDlt }));

    [Fact]
    public void Create_OneAttempt_OnlyDlt() =>
        Assert.Equal(["orders", "orders-dlt"], Names(new RetryTopicOptions { Attempts = 1 }));
}
