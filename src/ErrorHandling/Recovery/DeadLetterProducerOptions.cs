namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// The one dead-letter producer of the application (section <c>Kafka:ErrorHandling:DeadLetterProducer</c>). It uses
/// <c>Kafka:BootstrapServers</c> and <c>Kafka:Client</c>, then <see cref="Client"/>; <c>acks=all</c> and
/// <c>enable.idempotence=true</c> are always forced.
/// </summary>
public sealed class DeadLetterProducerOptions
{
    /// <summary>The path when the pipeline's section is <c>Kafka</c>; in general <c>&lt;section&gt;:ErrorHandling:DeadLetterProducer</c>.</summary>
    public const string SectionName = "Kafka:ErrorHandling:DeadLetterProducer";

    /// <summary>Extra librdkafka settings for the dead-letter producer (override <c>Kafka:Client</c>).</summary>
    public Dictionary<string, string> Client { get; } = new(StringComparer.Ordinal);

    /// <summary>How long librdkafka tries to deliver a dead letter (<c>message.timeout.ms</c>) unless <see cref="Client"/> sets it. Default 30 s.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposal waits for records in flight. Default 10 s.</summary>
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a dead-letter topic's partition count. Default 5 s.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a topic's partition count is reused. Default 5 min.</summary>
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
