using Confluent.Kafka;

namespace KafkaPipeline.Options;

/// <summary>Settings of one consumer (section <c>Kafka:Consumers:&lt;groupId&gt;</c>).</summary>
public sealed class KafkaConsumerOptions
{
    /// <summary>Records in flight per consumer when neither configuration nor the handlers' attributes say.</summary>
    public const int DefaultMaxConcurrency = 16;

    /// <summary>How offsets are committed. Default <see cref="CommitMode.StoredOffsets"/>.</summary>
    public CommitMode CommitMode { get; set; } = CommitMode.StoredOffsets;

    /// <summary>
    /// What is kept in order while records run concurrently. Null (default): the handlers' <c>[KafkaHandler(Ordering = …)]</c>,
    /// else <see cref="OrderingMode.Partition"/>.
    /// </summary>
    public OrderingMode? Ordering { get; set; }

    /// <summary>
    /// Records in flight (running the pipeline, the error handler or the recoverer) per consumer, across all its
    /// partitions. A record waiting for its back-off is not in flight. Null (default): the handlers'
    /// <c>[KafkaHandler(MaxConcurrency = …)]</c>, else <see cref="DefaultMaxConcurrency"/> (16).
    /// </summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>
    /// Records fetched and not yet finished that the consumer keeps in memory, across its partitions. At the bound the
    /// consumer stops taking records until lanes finish some; a partition holding twice its share (the bound divided by
    /// the assigned partitions) is paused until it is back to its share. Default 10,000.
    /// </summary>
    public int MaxBufferedRecords { get; set; } = 10_000;

    /// <summary>The same bound in bytes of keys and values. Default 32 MiB.</summary>
    public long MaxBufferedBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Where a group without committed offsets starts. Default <see cref="AutoOffsetReset.Earliest"/> (nothing skipped).</summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Earliest;

    /// <summary>Longest wait of one poll; bounds how quickly a stop is noticed. Default 100 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long records in flight may take to finish on shutdown before their token is cancelled. Default 20 s, so that
    /// the consumer commits and closes within the host's own shutdown timeout (30 s by default).
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long records in flight of revoked partitions may take to finish before their token is cancelled and the
    /// partitions' progress is committed without them. The rebalance waits that long at most. Default 10 s.
    /// </summary>
    public TimeSpan RevokeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Period of librdkafka's commit of stored offsets (<c>auto.commit.interval.ms</c>). Default 5 s.</summary>
    public TimeSpan AutoCommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Key and Unordered modes: with each committed watermark, keep the offsets finished above it (records that finished
    /// while an earlier one of their partition still ran) in the commit's metadata, and skip those records after a
    /// restart or rebalance instead of handling them again. Default true. Metadata of other clients is left alone and
    /// ignored; about 4,000 characters per partition are used at most (the broker's <c>offset.metadata.max.bytes</c> is
    /// 4,096 by default), keeping the lowest offsets when more finished.
    /// </summary>
    public bool CommitFinishedOffsets { get; set; } = true;

    /// <summary>
    /// Adds a <c>kafka_deliveryAttempt</c> header (4-byte big-endian int, as Spring does) to each record
    /// before the pipeline. <see cref="ConsumeContext.DeliveryAttempt"/> is always available. Default false.
    /// </summary>
    public bool DeliveryAttemptHeader { get; set; }

    /// <summary>Set false to register the consumer but not run it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Extra librdkafka settings for this consumer (override <c>Kafka:Client</c>).</summary>
    public Dictionary<string, string> Client { get; } = new(StringComparer.Ordinal);
}
