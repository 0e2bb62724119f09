using Confluent.Kafka;
using KafkaPipeline.Handlers;

namespace KafkaPipeline;

/// <summary>
/// Everything a middleware knows about the record being processed. Create one with <c>new</c> to test a
/// middleware or handler directly.
/// </summary>
public sealed class ConsumeContext
{
    private Dictionary<string, object?>? _items;

    /// <summary>Creates the context of one delivery of <paramref name="record"/>; <paramref name="services"/> is the record's DI scope.</summary>
    public ConsumeContext(
        ConsumeResult<byte[]?, byte[]?> record,
        IServiceProvider services,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(services);
        Record = record;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The raw record as consumed: key and value bytes, headers, timestamp, coordinates.</summary>
    public ConsumeResult<byte[]?, byte[]?> Record { get; }

    /// <summary>The record's topic.</summary>
    public string Topic => Record.Topic;

    /// <summary>The record's partition.</summary>
    public int Partition => Record.Partition.Value;

    /// <summary>The record's offset in its partition.</summary>
    public long Offset => Record.Offset.Value;

    /// <summary>Topic, partition and offset together.</summary>
    public TopicPartitionOffset TopicPartitionOffset => Record.TopicPartitionOffset;

    /// <summary>Raw key bytes (null when the record has no key).</summary>
    public byte[]? Key => Record.Message.Key;

    /// <summary>Raw value bytes (null for a tombstone).</summary>
    public byte[]? Value => Record.Message.Value;

    /// <summary>The record's headers (an empty, writable collection when it has none).</summary>
    public Headers Headers => Record.Message.Headers ??= new Headers();

    /// <summary>The record's timestamp and its type (create time or log-append time).</summary>
    public Timestamp Timestamp => Record.Message.Timestamp;

    /// <summary>The consumer group processing this record (empty when created outside a consumer).</summary>
    public string GroupId { get; init; } = string.Empty;

    /// <summary>1 on first delivery, then 2, 3, … while the same record is retried.</summary>
    public int DeliveryAttempt { get; init; } = 1;

    /// <summary>The handler selected for this record; set by the consumer or the deserialization step.</summary>
    public HandlerDescriptor? Handler { get; set; }

    /// <summary>The deserialized message; null before deserialization and for tombstones.</summary>
    public object? Message { get; set; }

    /// <summary>True once the deserialization step ran (a null <see cref="Message"/> is then a tombstone).</summary>
    public bool IsDeserialized { get; set; }

    /// <summary>Set by the deduplication step: the handler is skipped, the offset is still committed.</summary>
    public bool IsDuplicate { get; set; }

    /// <summary>Set by the dead-letter recoverer once the record is in its dead-letter topic (for metrics).</summary>
    internal string? DeadLetterTopic { get; set; }

    /// <summary>Services of the record's own DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the consumer must abandon the record (shutdown grace period elapsed).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Per-record state shared between middleware.</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The record's coordinates, e.g. <c>orders [2] @1041</c>, for logs and messages.</summary>
    public override string ToString() => $"{Topic} [{Partition}] @{Offset}";
}
