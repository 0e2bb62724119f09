using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.RetryTopics.Tests.Routing;

public sealed class DestinationResolverTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ConsumeContext Context() => new(
        new Confluent.Kafka.ConsumeResult<byte[]?, byte[]?>
        {
            Topic = "orders",
            Partition = new Confluent.Kafka.Partition(0),
            Offset = new Confluent.Kafka.Offset(1),
            Message = new Confluent.Kafka.Message<byte[]?, byte[]?> { Value = [1] },
        },
        Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));

    private static DestinationResolver Resolver(RetryTopicOptions options)
    {
        var errors = new List<string>();
        var resolver = new DestinationResolver(RetryTopology.Create("orders", options), DestinationResolver.CreateClassifier(options, "test", errors));
        Assert.Empty(errors);
        return resolver;
    }

    private static string? Resolve(DestinationResolver resolver, string source, int attempts, Exception? exception = null, long? original = null) =>
        resolver.Resolve(resolver.Topology.Find(source)!, attempts, exception ?? new TimeoutException(), original ?? Now.ToUnixTimeMilliseconds(), Now)?.Name;

    [Fact]
    public void Resolve_ExponentialChain_WalksTiersThenDlt()
    {
        var resolver = Resolver(new RetryTopicOptions { Attempts = 4, Multiplier = 2 });
        Assert.Equal("orders-retry-1000", Resolve(resolver, "orders", 1));
        Assert.Equal("orders-retry-2000", Resolve(resolver, "orders-retry-1000", 2));
        Assert.Equal("orders-retry-4000", Resolve(resolver, "orders-retry-2000", 3));
        Assert.Equal("orders-dlt", Resolve(resolver, "orders-retry-4000", 4));
    }

    [Fact]
    public void Resolve_ReusableTopic_StaysUntilAttemptsExhausted()
    {
        var resolver = Resolver(new RetryTopicOptions { Attempts = 4 });
        Assert.Equal("orders-retry", Resolve(resolver, "orders", 1));
        Assert.Equal("orders-retry", Resolve(resolver, "orders-retry", 2));
        Assert.Equal("orders-retry", Resolve(resolver, "orders-retry", 3));
        Assert.Equal("orders-dlt", Resolve(resolver, "orders-retry", 4));
    }

    [Fact]
    public void Resolve_ExcludedException_GoesToDlt() =>
        Assert.Equal("orders-dlt", Resolve(Resolver(new RetryTopicOptions { Exclude = { typeof(ArgumentException).FullName! } }), "orders", 1, new ArgumentNullException()));

    [Fact]
    public void Resolve_IncludeListsOthers_GoesToDlt() =>
        Assert.Equal("orders-dlt", Resolve(Resolver(new RetryTopicOptions { Include = { typeof(TimeoutException).FullName! } }), "orders", 1, new InvalidOperationException()));

    [Fact]
    public void Resolve_IncludedInnerException_Retries() =>
        Assert.Equal("orders-retry", Resolve(Resolver(new RetryTopicOptions { Include = { typeof(TimeoutException).FullName! } }), "orders", 1,
            new InvalidOperationException("outer", new TimeoutException())));

    [Fact]
    public void Resolve_DeserializationFailure_GoesToDltAtOnce() =>
        Assert.Equal("orders-dlt", Resolve(Resolver(new RetryTopicOptions()), "orders", 1, new DeserializationException("bad", Context(), typeof(string))));

    [Fact]
    public void Resolve_PastTimeout_GoesToDlt() =>
        Assert.Equal("orders-dlt", Resolve(Resolver(new RetryTopicOptions { Timeout = TimeSpan.FromMinutes(1) }), "orders", 1,
            original: Now.AddMinutes(-2).ToUnixTimeMilliseconds()));

    [Fact]
    public void Resolve_WithinTimeout_Retries() =>
        Assert.Equal("orders-retry", Resolve(Resolver(new RetryTopicOptions { Timeout = TimeSpan.FromMinutes(5) }), "orders", 1,
            original: Now.AddMinutes(-2).ToUnixTimeMilliseconds()));

    [Theory]
    [InlineData(DltStrategy.AlwaysRetryOnError, "orders-dlt")]
    [InlineData(DltStrategy.FailOnError, null)]
    public void Resolve_DltHandlerFailed_FollowsStrategy(DltStrategy strategy, string? expected) =>
        Assert.Equal(expected, Resolve(Resolver(new RetryTopicOptions { DltStrategy = strategy }), "orders-dlt", 3));

    [Fact]
    public void Resolve_NoDltExhausted_Nowhere() =>
        Assert.Null(Resolve(Resolver(new RetryTopicOptions { DltStrategy = DltStrategy.NoDlt }), "orders-retry", 3));
}
