using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Topology;

namespace KafkaPipeline.RetryTopics.Routing;

/// <summary>One main topic's retry chain as configured at start: where it came from, its topics and its routing.</summary>
internal sealed class RetryChain(string groupId, RetryTopology topology, DestinationResolver resolver, Type handlerType)
{
    /// <summary>The main topic's consumer group.</summary>
    public string GroupId { get; } = groupId;

    public RetryTopology Topology { get; } = topology;

    public DestinationResolver Resolver { get; } = resolver;

    public Type HandlerType { get; } = handlerType;

    public RetryTopicOptions Options => Topology.Options;

    /// <summary>
    /// The consumer group that reads <paramref name="topic"/>: as Spring, the main group plus the topic's suffix (so
    /// <c>billing-retry-1000</c>, <c>billing-dlt</c>); in key-ordered mode the retry topics stay in the main group, so that
    /// the same member owns partition p of the main topic and of every retry topic.
    /// </summary>
    public string GroupFor(DestinationTopic topic) =>
        topic.Kind == DestinationKind.Main || (Options.KeyOrdered && topic.IsRetry)
            ? GroupId
            : GroupId + topic.Name[Topology.MainTopic.Length..];
}

/// <summary>Every retry chain of the application, by topic name (main, retry and DLT topics). Filled once at start.</summary>
internal sealed class RetryChains
{
    private readonly Dictionary<string, (RetryChain Chain, DestinationTopic Topic)> _byTopic = new(StringComparer.Ordinal);

    public List<RetryChain> All { get; } = [];

    /// <summary>Adds a chain; false when one of its topics already belongs to another chain.</summary>
    public bool TryAdd(RetryChain chain, out string? clash)
    {
        clash = chain.Topology.Topics.Select(t => t.Name).FirstOrDefault(_byTopic.ContainsKey);
        if (clash is not null)
        {
            return false;
        }

        All.Add(chain);
        foreach (var topic in chain.Topology.Topics)
        {
            _byTopic[topic.Name] = (chain, topic);
        }

        return true;
    }

    public bool TryFind(string topic, out RetryChain chain, out DestinationTopic destination)
    {
        if (_byTopic.TryGetValue(topic, out var found))
        {
            (chain, destination) = found;
            return true;
        }

        (chain, destination) = (null!, null!);
        return false;
    }
}
