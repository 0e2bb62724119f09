using Confluent.Kafka;

namespace KafkaPipeline.Options;

/// <summary>Settings of one consumer (section <c>Kafka:Consumers:&lt;groupId&gt;</c>).</summary>
public sealed class KafkaConsumerOptions
{
    public CommitMode CommitMode { get; set; } = CommitMode.StoredOffsets;

    /// <summary>Where a group without committed offsets starts. Default <see cref="AutoOffsetReset.Earliest"/> (nothing skipped).</summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Earliest;

    /// <summary>Longest wait of one poll; bounds how quickly a stop or a due resume is noticed. Default 100 ms.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the record in flight may take to finish on shutdown before its token is cancelled. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Period of librdkafka's commit of stored offsets (<c>auto.commit.interval.ms</c>). Default 5 s.</summary>
    public TimeSpan AutoCommitInterval { get; set; } = TimeSpan.FromSeconds(5);

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
