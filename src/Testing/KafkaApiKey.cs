namespace KafkaPipeline.Testing;

/// <summary>Kafka protocol request types (API keys), for <see cref="EmbeddedKafkaCluster.PushRequestErrors"/>.</summary>
public static class KafkaApiKey
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short OffsetCommit = 8;
    public const short OffsetFetch = 9;
    public const short FindCoordinator = 10;
    public const short JoinGroup = 11;
    public const short Heartbeat = 12;
    public const short LeaveGroup = 13;
    public const short SyncGroup = 14;
    public const short DescribeGroups = 15;
    public const short ListGroups = 16;
    public const short ApiVersions = 18;
    public const short InitProducerId = 22;
    public const short OffsetForLeaderEpoch = 23;
    public const short AddPartitionsToTxn = 24;
    public const short AddOffsetsToTxn = 25;
    public const short EndTxn = 26;
    public const short TxnOffsetCommit = 28;
}
