using System.Collections.Concurrent;

namespace KafkaPipeline.Health;

/// <summary>Statuses of all consumers of the application.</summary>
public sealed class KafkaConsumerMonitor
{
    private readonly ConcurrentDictionary<string, KafkaConsumerStatus> _statuses = new(StringComparer.Ordinal);

    public IReadOnlyCollection<KafkaConsumerStatus> Consumers => [.. _statuses.Values.OrderBy(s => s.GroupId, StringComparer.Ordinal)];

    public KafkaConsumerStatus? Find(string groupId) => _statuses.GetValueOrDefault(groupId);

    internal KafkaConsumerStatus Register(string groupId) => _statuses.GetOrAdd(groupId, id => new KafkaConsumerStatus(id));
}
