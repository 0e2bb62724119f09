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
}
