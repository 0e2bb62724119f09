using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Where each dead letter goes: the target topic (<c>--to</c> or the original topic) and partition.</summary>
internal sealed class ReplayTargets(ReplayRequest request, Metadata metadata)
{
    private readonly Dictionary<string, int> _partitionCounts = metadata.Topics
        .Where(t => !t.Error.IsError && t.Partitions.Count > 0)
        .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);

    /// <summary>The topic, or null when the record has no dead-letter headers and no <c>--to</c> was given.</summary>
    public string? TopicOf(DeadLetterRecord record) => request.TargetTopic ?? record.DeadLetter?.OriginalTopic;

    public bool Exists(string topic) => _partitionCounts.ContainsKey(topic);

    public TopicPartition Resolve(DeadLetterRecord record)
    {
        var topic = TopicOf(record) ?? throw new InvalidOperationException($"{record.Coordinates} has no target topic.");
        if (request.Partitioning == ReplayPartitioning.Original
            && record.DeadLetter?.OriginalPartition is { } partition
            && _partitionCounts.TryGetValue(topic, out var count) && partition >= 0 && partition < count)
        {
            return new TopicPartition(topic, partition);
        }

        return new TopicPartition(topic, Partition.Any);
    }

    /// <summary>
    /// Why a record that should keep its original partition (<see cref="ReplayPartitioning.Original"/>) goes by key
    /// instead, or null: its header is malformed or missing, or the target has no such partition. The plan flags these.
    /// </summary>
    public ByKey? ByKeyReason(DeadLetterRecord record)
    {
        if (request.Partitioning != ReplayPartitioning.Original || record.DeadLetter is not { } info || TopicOf(record) is not { } topic)
        {
            return null;
        }

        const string Header = DeadLetterHeaders.OriginalPartition;
        return record.OriginalPartitionMalformed ? new ByKey("malformed", $"its {Header} header is malformed, so it goes by key")
            : info.OriginalPartition is not { } partition ? new ByKey("missing", $"it has no {Header} header, so it goes by key")
            : _partitionCounts.TryGetValue(topic, out var count) && partition >= count
                ? new ByKey("absent", $"its original partition {partition} does not exist in '{topic}' ({count} partitions), so it goes by key")
            : null;
    }

    /// <summary>Refused by the loop guard.</summary>
    public bool IsRefused(DeadLetterRecord record) => !request.Force && record.ReplayCount >= request.MaxReplays;

    /// <summary>Why the loop guard refuses <paramref name="record"/>, for the audit and the dry run.</summary>
    public string RefusalReason(DeadLetterRecord record) => record.ReplayCountMalformed
        ? $"its {ReplayHeaders.Count} header is malformed, so it counts as replayed before; use --force to send it anyway"
        : $"replayed {record.ReplayCount} time(s) already (limit {request.MaxReplays}); use --force to send it anyway";
}

/// <summary>Why a record goes by key although its original partition was asked for; <see cref="Kind"/> groups them in the plan.</summary>
internal sealed record ByKey(string Kind, string Reason);
