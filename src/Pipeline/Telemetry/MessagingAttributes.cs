namespace KafkaPipeline.Telemetry;

/// <summary>OpenTelemetry messaging semantic-convention attribute names (Kafka), plus KafkaPipeline's own.</summary>
internal static class MessagingAttributes
{
    public const string System = "messaging.system";
    public const string Kafka = "kafka";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string PartitionId = "messaging.destination.partition.id";
    public const string ConsumerGroup = "messaging.consumer.group.name";
    public const string Offset = "messaging.kafka.offset";
    public const string MessageKey = "messaging.kafka.message.key";
    public const string Tombstone = "messaging.kafka.message.tombstone";
    public const string MessageId = "messaging.message.id";
    public const string BodySize = "messaging.message.body.size";
    public const string ErrorType = "error.type";

    /// <summary>1 on the first delivery of a record, then 2, 3, … while it is retried.</summary>
    public const string DeliveryAttempt = "kafka_pipeline.delivery_attempt";

    /// <summary>What became of a delivery: completed, duplicate, retry, recovered, stopped, abandoned.</summary>
    public const string Outcome = "kafka_pipeline.outcome";

    public const string RetryDelay = "kafka_pipeline.retry.delay_ms";

    public const string DeadLetterTopic = "kafka_pipeline.dead_letter.topic";

    /// <summary>The header that carries a message's id (the same one deduplication reads by default).</summary>
    public const string MessageIdHeader = "message-id";
}
