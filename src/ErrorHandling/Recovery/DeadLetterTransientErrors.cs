using Confluent.Kafka;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Produce errors worth retrying at once: the broker or leader is briefly unavailable, the local queue is full, or the
/// partition is missing (the partition count is read again before the retry).
/// </summary>
internal static class DeadLetterTransientErrors
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        DeadLetterPublishException => true,
        KafkaException kafka => !kafka.Error.IsFatal && IsTransient(kafka.Error.Code),
        _ => false,
    };

    public static bool IsTransient(ErrorCode code) => code is
        ErrorCode.Local_MsgTimedOut or ErrorCode.Local_QueueFull or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown
        or ErrorCode.Local_TimedOut or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition or ErrorCode.Local_Retry
        or ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition or ErrorCode.RequestTimedOut
        or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.NetworkException
        or ErrorCode.BrokerNotAvailable or ErrorCode.UnknownTopicOrPart;

    /// <summary>
    /// Produce errors about this record that no retry can fix while the record and the topic stay as they are: its size,
    /// its content, the topic's name. They need an operator. (A missing permission is not among them: granting it lets
    /// the next recovery attempt succeed, so recovery keeps being retried and logged.)
    /// </summary>
    public static string? PermanentFix(ErrorCode code, string topic) => code switch
    {
        ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.RecordListTooLarge =>
            $"raise max.message.bytes of topic '{topic}' (and the dead-letter producer's message.max.bytes under "
            + "Kafka:ErrorHandling:DeadLetterProducer:Client when you set it), or lower DeadLetter:MaxExceptionHeaderBytes",
        ErrorCode.TopicException =>
            $"correct the dead-letter topic name '{topic}' (TopicSuffix, ExceptionRoutes, DestinationResolver, [DeadLetterTopic])",
        ErrorCode.InvalidRecord or ErrorCode.InvalidMsg =>
            $"check the broker's validation of topic '{topic}' (e.g. a compacted dead-letter topic needs a record key)",
        _ => null,
    };
}
