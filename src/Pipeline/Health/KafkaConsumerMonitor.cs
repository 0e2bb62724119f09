using System.Collections.Concurrent;

namespace KafkaPipeline.Health;

/// <summary>Statuses of all consumers of the application.</summary>
public sealed class KafkaConsumerMonitor
{
    private readonly ConcurrentDictionary<string, KafkaConsumerStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>The status of every consumer of the application, by registration order.</summary>
    public IReadOnlyCollection<KafkaConsumerStatus> Consumers => [.. _statuses.Values.OrderBy(s => s.GroupId, StringComparer.Ordinal)];

    /// <summary>The status of the consumer of <paramref name="groupId"/>, or null when there is none.</summary>
    public KafkaConsumerStatus? Find(string groupId) => _statuses.GetValueOrDefault(groupId);

    internal KafkaConsumerStatus Register(string groupId) => _statuses.GetOrAdd(groupId, id => new KafkaConsumerStatus(id));
}
