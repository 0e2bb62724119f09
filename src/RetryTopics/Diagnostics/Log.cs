using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.Diagnostics;

/// <summary>Source-generated log messages of KafkaPipeline.RetryTopics; event ids 5000-5099 are this assembly's.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} failed (attempt {Attempt}); forwarded to {Destination} [{DestinationPartition}] @{DestinationOffset}, due at {Due:O}")]
    public static partial void Forwarded(ILogger logger, string topic, int partition, long offset, int attempt, string destination, int destinationPartition, long destinationOffset, DateTimeOffset due, Exception exception);

    [LoggerMessage(5001, LogLevel.Error, "Record {Topic} [{Partition}] @{Offset} failed (attempt {Attempt}) and has no further destination ({Reason}); it is committed without a dead letter")]
    public static partial void Dropped(ILogger logger, string topic, int partition, long offset, int attempt, string reason, Exception exception);

    [LoggerMessage(5002, LogLevel.Information, "Retry topics of '{MainTopic}' (group '{GroupId}'): {Topics}")]
    public static partial void TopologyConfigured(ILogger logger, string mainTopic, string groupId, string topics);

    [LoggerMessage(5003, LogLevel.Information, "Created topic '{Topic}' with {Partitions} partition(s), replication factor {ReplicationFactor}")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions, short replicationFactor);

    [LoggerMessage(5004, LogLevel.Warning, "Record {Topic} [{Partition}] @{Offset} is due at {Due:O}, more than {Limit} ahead; treated as due now (as spring-kafka 4 does)")]
    public static partial void DueTooFarAhead(ILogger logger, string topic, int partition, long offset, DateTimeOffset due, TimeSpan limit);

    [LoggerMessage(5005, LogLevel.Debug, "Record {Topic} [{Partition}] @{Offset} of a parked key follows its key's earlier record to {Destination}")]
    public static partial void FollowedParkedKey(ILogger logger, string topic, int partition, long offset, string destination);

    [LoggerMessage(5006, LogLevel.Information, "Parked keys of {Topic} [{Partition}] rebuilt from the retry topics: {Keys} key(s), {Records} record(s), in {Elapsed}")]
    public static partial void ParkedKeysRebuilt(ILogger logger, string topic, int partition, int keys, int records, TimeSpan elapsed);

    [LoggerMessage(5007, LogLevel.Debug, "Record {Topic} [{Partition}] @{Offset} was already forwarded before a restart (a copy lies further down the chain); committed without running")]
    public static partial void SupersededCopySkipped(ILogger logger, string topic, int partition, long offset);
}
